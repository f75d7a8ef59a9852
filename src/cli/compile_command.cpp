// arenaplan compile MODEL -o DIR: plan the model into its pools and emit the C output: header,
// pools source, and with the `arenaplan` kernels (the default) <name>_run and the kernel library.
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "arenaplan/c_emitter.h"
#include "arenaplan/tflite.h"
#include "cli/commands.h"
#include "cli/map_output.h"
#include "cli/output_options.h"
#include "cli/pool_options.h"
#include "cli/report_text.h"
#include "cli/solve_options.h"

namespace arenaplan::cli {
namespace {

struct CompileArgs {
  std::string model;
  std::string output;
  std::string name;
  bool io_outside_pool = false;
  bool quiet = false;
  std::string map;  // --map FILE.svg|FILE.html|-
  LoweringOptions lowering;
  SolveOptions solving;
  PoolArgs pools;
};

int run_compile(CompileArgs args) {
  const Graph graph = read_tflite(args.model);
  const PoolSetup setup = pool_setup(args.pools);
  args.lowering.io_in_arena = !args.io_outside_pool;
  const PooledModel pooled = plan_model_in_pools(graph, args.lowering, args.solving, setup);
  print_warnings(pooled.model.lowered.warnings);
  print_warnings(pooled.warnings);
  CEmitOptions options;
  options.name = args.name.empty() ? c_identifier(std::filesystem::path(args.model).stem().string()) : args.name;
  options.operators = args.lowering.kernels == "arenaplan";
  const auto files = emit_c(graph, pooled.model.lowered, pooled.model.plan, options);
  const MapLabels labels = model_map_labels(graph, pooled.model.lowered, args.model);
  Outputs outputs(input_files(args.model, args.pools));
  outputs.add_directory("-o", args.output, files);
  add_map_output(outputs, args.map, pooled.model.lowered.problem, pooled.model.plan, labels);
  outputs.write();
  if (args.map == "-") draw_text_map(pooled.model.lowered.problem, pooled.model.plan, labels, std::cout);
  if (!args.quiet) {
    const Problem& problem = pooled.model.lowered.problem;
    std::cout << fmt::format("{}: {} files for '{}'\n", args.output, files.size(), options.name);
    for (std::size_t p = 0; p < problem.pools.size(); ++p)
      std::cout << fmt::format("  {:<12} {:<9} {:<8} {:>10} bytes\n", problem.pools[p].name,
                               to_string(problem.pools[p].kind), problem.pools[p].external ? "external" : "internal",
                               pooled.model.plan.pool_sizes[p]);
  }
  return 0;
}

}  // namespace

void add_compile_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<CompileArgs>();
  CLI::App* cmd = app.add_subcommand("compile", "plan a .tflite model into its pools and emit the C memory interface");
  cmd->add_option("MODEL", args->model, "TensorFlow Lite model (.tflite)")->required();
  add_output_option(cmd, args->output,
                    "output directory: a new or empty one, or a previous compile output (only the files arenaplan "
                    "wrote there are replaced)")
      ->required();
  cmd->add_option("--name", args->name, "C prefix of every symbol (default: the model file's name)");
  args->lowering.kernels = "arenaplan";
  add_kernels_option(
      cmd, args->lowering.kernels,
      "kernel profile: arenaplan emits the operator code too; reference or cmsis-nn only the memory interface");
  cmd->add_flag("--io-outside-pool", args->io_outside_pool,
                "inputs and outputs are passed to <name>_run, not mapped into a pool");
  add_solve_options(cmd, args->solving);
  cmd->add_flag("-q,--quiet", args->quiet, "print nothing on success");
  add_pool_options(cmd, args->pools);
  add_map_option(cmd, args->map);
  cmd->callback([&action, args] { action = [args] { return run_compile(*args); }; });
}

}  // namespace arenaplan::cli
