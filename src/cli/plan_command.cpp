// arenaplan plan MODEL: import a .tflite model, lower it with a kernel profile, plan it, report.
#include <iostream>
#include <sstream>

#include "arenaplan/io.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/tflite.h"
#include "cli/commands.h"
#include "cli/map_output.h"
#include "cli/plan_report.h"
#include "cli/pool_options.h"
#include "cli/report_text.h"
#include "cli/solve_options.h"
#include "cli/solve_watch.h"

namespace arenaplan::cli {
namespace {

struct PlanArgs {
  std::string model;
  std::string compat;
  std::string format = "text";
  std::string output;
  std::string map;  // --map FILE.svg|FILE.html|-
  bool io_outside_arena = false;
  bool no_alias = false;
  bool no_timing = false;
  LoweringOptions lowering;
  SolveOptions solving;
  PoolArgs pools;  // --pool, --pools, --place, --shared-pool
};

int run_plan(PlanArgs args) {
  const Graph graph = read_tflite(args.model);
  args.lowering.tflm_compat = args.compat == "tflm";
  args.lowering.io_in_arena = !args.io_outside_arena;
  args.lowering.alias_reshapes = !args.no_alias;
  if (args.pools.active())
    return run_pool_plan({args.model, args.format, args.output, !args.no_timing, args.lowering, args.solving},
                         args.pools);
  SolveWatch watch(args.solving);  // progress on a terminal; Ctrl-C returns the best plan so far
  const ModelPlan ours = plan_model(graph, args.lowering, args.solving);
  watch.finish();
  print_warnings(ours.lowered.warnings);
  std::ostringstream json;
  write_plan_json(ours.lowered.problem, ours.plan, json, !args.no_timing);
  if (!args.output.empty()) write_file_atomically(args.output, json.str());
  const MapLabels labels = model_map_labels(graph, ours.lowered, args.model);
  if (args.map != "-") write_map(args.map, ours.lowered.problem, ours.plan, labels, std::cout);
  const bool text_map = args.format == "ascii" || args.map == "-";
  if (text_map && args.format == "json") write_map("-", ours.lowered.problem, ours.plan, labels, std::cerr);
  if (args.format == "json") {
    std::cout << json.str();
    return 0;
  }
  // What TFLite Micro would need, computed with the compat rules (the same run when --compat tflm).
  const bool already_tflm = args.lowering.tflm_compat && ours.plan.algorithm == "tflm";
  const ModelPlan tflm = already_tflm ? ours : plan_like_tflm(graph, args.lowering.kernels);
  std::cout << plan_report({graph, ours, &tflm, args.lowering.kernels, !args.no_timing});
  if (text_map) write_map("-", ours.lowered.problem, ours.plan, labels, std::cout);
  return 0;
}

}  // namespace

void add_plan_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<PlanArgs>();
  CLI::App* cmd = app.add_subcommand("plan", "import a .tflite model, plan its memory and print a report");
  cmd->add_option("MODEL", args->model, "TensorFlow Lite model (.tflite)")->required();
  add_solve_options(cmd, args->solving);
  add_kernels_option(cmd, args->lowering.kernels, "kernel profile: scratch buffers and stages of each operator");
  cmd->add_option("--compat", args->compat, "reproduce another planner's rules: tflm (TFLite Micro)")
      ->check(CLI::IsMember({"tflm"}));
  cmd->add_flag("--io-outside-arena", args->io_outside_arena, "graph inputs and outputs are caller-owned, not planned");
  cmd->add_flag("--persistent-pool", args->lowering.persistent_pool, "variable tensors in their own persistent pool");
  cmd->add_flag("--no-alias", args->no_alias, "RESHAPE/SQUEEZE/EXPAND_DIMS get their own buffers");
  cmd->add_option("--format", args->format, "report on stdout: text, json, or ascii (text and the memory map)")
      ->check(CLI::IsMember({"text", "json", "ascii"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output, "also write the plan JSON to FILE")->check(file_name());
  add_map_option(cmd, args->map);
  add_pool_options(cmd, args->pools);
  add_shared_pool_options(cmd, args->pools);
  cmd->add_flag("--no-timing", args->no_timing, "leave timings out so the output depends only on the input");
  cmd->callback([&action, args] { action = [args] { return run_plan(*args); }; });
}

}  // namespace arenaplan::cli
