// arenaplan solve PROBLEM: plan a buffer list (problem JSON or MiniMalloc CSV).
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "arenaplan/algorithm.h"
#include "arenaplan/byte_size.h"
#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "cli/commands.h"
#include "cli/map_output.h"
#include "cli/output_options.h"
#include "cli/report_text.h"
#include "cli/solve_options.h"
#include "cli/solve_watch.h"

namespace arenaplan::cli {
namespace {

struct SolveArgs {
  std::string problem;
  std::string capacity;
  std::string format = "text";
  std::string output;
  std::string map;
  bool no_timing = false;
  SolveOptions options;
};

int run_solve(const SolveArgs& args, const InputLimits& limits) {
  Problem problem = read_problem(args.problem, std::cerr, limits);
  if (!args.capacity.empty()) {
    auto capacity = parse_byte_size(args.capacity);
    if (!capacity)
      throw InputError(fmt::format("--capacity: '{}' is not a byte count (e.g. 1048576, 512K, 1M)", args.capacity));
    apply_capacity(problem, *capacity);
  }
  SolveOptions options = args.options;
  SolveWatch watch(options);  // progress on a terminal; Ctrl-C returns the best plan so far
  Plan plan;
  try {
    plan = solve(problem, options);
  } catch (const NoSolution& e) {
    throw NoSolution(fmt::format("{}: {}", args.problem, e.what()), e.remedy());  // name the file
  } catch (const InputError& e) {
    if (find_algorithm(options.algorithm) == nullptr) throw;  // --algorithm is wrong, not the file
    throw InputError(fmt::format("{}: {}", args.problem, e.what()), e.remedy());
  }
  watch.finish();
  const bool timing = !args.no_timing;
  const bool csv_output = args.output.ends_with(".csv");
  const bool json_output = !args.output.empty() && !csv_output;
  const MapLabels labels{args.problem, {}, {}};
  Outputs outputs({args.problem});
  if (csv_output) {
    if (!plan_csv_fits(problem))
      throw InputError(
          fmt::format("-o {}: a CSV plan is for one pool and one live range per buffer; write .json", args.output));
    std::ostringstream csv;
    write_plan_csv(problem, plan, csv);
    outputs.add_file("-o", args.output, std::move(csv).str());
  } else if (json_output) {
    // Written as it is made: for a million buffers, holding it whole cost more than the solve.
    outputs.add_streamed_file("-o", args.output,
                              [&](std::ostream& out) { write_plan_json(problem, plan, out, timing); });
  }
  add_map_output(outputs, args.map, problem, plan, labels);
  outputs.write();
  if (args.format == "json" && json_output)
    write_plan_summary_json(problem, plan, std::cout, timing, args.output);  // not the file again
  else if (args.format == "json")
    write_plan_json(problem, plan, std::cout, timing);
  else
    std::cout << solve_report(args.problem, problem, plan, timing);
  // The text map: after the report on stdout, or on stderr when stdout carries JSON.
  if (args.format == "ascii" || args.map == "-")
    draw_text_map(problem, plan, labels, args.format == "json" ? std::cerr : std::cout);
  return 0;
}

}  // namespace

void add_solve_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<SolveArgs>();
  CLI::App* cmd = app.add_subcommand("solve", "plan a buffer list (problem JSON or MiniMalloc CSV) and print a report");
  cmd->add_option("PROBLEM", args->problem, "problem file (.json or MiniMalloc .csv)")->required();
  add_solve_options(cmd, args->options);
  cmd->add_option("--capacity", args->capacity, "hard size limit for every workspace pool (bytes; K/M/G suffixes)");
  cmd->add_option("--format", args->format, "report on stdout: text, json, or ascii (text and the memory map)")
      ->check(CLI::IsMember({"text", "json", "ascii"}))
      ->capture_default_str();
  add_output_option(cmd, args->output, "also write the plan to FILE (JSON; MiniMalloc CSV when FILE ends in .csv)");
  add_map_option(cmd, args->map);
  cmd->add_flag("--no-timing", args->no_timing, "leave timings out so the output depends only on the input");
  cmd->callback([&action, args] { action = [args](const InputLimits& limits) { return run_solve(*args, limits); }; });
}

}  // namespace arenaplan::cli
