// arenaplan compile MODEL -o DIR: plan the model into its pools and emit the C output: header,
// pools source, and with the `arenaplan` kernels (the default) <name>_run and the kernel library.
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "arenaplan/c_emitter.h"
#include "arenaplan/onnx.h"
#include "arenaplan/tflite.h"
#include "cli/commands.h"
#include "cli/firmware_summary.h"
#include "cli/map_output.h"
#include "cli/model_options.h"
#include "cli/output_options.h"
#include "cli/plan_report.h"
#include "cli/pool_options.h"
#include "cli/schedule_option.h"
#include "cli/solve_options.h"
#include "emit/c_names.h"

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
  OnnxOptions onnx;  // --dim
  SolveOptions solving;
  PoolArgs pools;
  std::string schedule;                  // --schedule file|memory; empty: by kernel profile
  std::string constant_data = "header";  // --constant-data header|binary (external constant pools)
};

int run_compile(CompileArgs args, const InputLimits& limits) {
  const PlannedModelFile planned = plan_model_file(
      {args.model, args.onnx, args.schedule, args.lowering, args.io_outside_pool, args.solving}, args.pools, limits);
  const Graph& file_graph = planned.file_graph;
  const ScheduleResult& schedule = planned.schedule;
  const Graph& graph = schedule.graph;
  const PooledModel& pooled = planned.pooled;
  args.lowering = planned.lowering;
  print_warnings(pooled);
  CEmitOptions options;
  options.name = args.name.empty() ? c_identifier(std::filesystem::path(args.model).stem().string()) : args.name;
  options.operators = args.lowering.kernels == "arenaplan";
  options.constant_binaries = args.constant_data == "binary";
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
    std::cout << firmware_summary(graph, pooled, args.lowering.kernels);
    for (std::size_t p = 0; p < problem.pools.size(); ++p)
      std::cout << fmt::format("  {:<12} {:<9} {:<8} {:>10} bytes\n", problem.pools[p].name,
                               to_string(problem.pools[p].kind), problem.pools[p].external ? "external" : "internal",
                               pooled.model.plan.pool_sizes[p]);
    const ModelPlan tflm = plan_like_tflm(file_graph, args.lowering.kernels);
    std::cout << overlap_summary(pooled.model, &tflm, args.lowering.kernels,
                                 pooled.model.lowered.problem.has_overlaps()
                                     ? std::optional<Bytes>(model_whole_tensor_bound(graph, args.lowering))
                                     : std::nullopt);
    std::cout << schedule_report(schedule);
  }
  return 0;
}

}  // namespace

void add_compile_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<CompileArgs>();
  CLI::App* cmd = app.add_subcommand("compile", "plan a .tflite model into its pools and emit the C memory interface");
  cmd->add_option("MODEL", args->model, "model: TensorFlow Lite (.tflite) or ONNX (.onnx)")->required();
  add_model_options(cmd, args->onnx);
  add_output_option(cmd, args->output,
                    "output directory: a new or empty one, or a previous compile output (only the files arenaplan "
                    "wrote there are replaced)")
      ->required();
  cmd->add_option("--name", args->name, "C prefix of every symbol (default: the model file's name)");
  args->lowering.kernels = "arenaplan";
  add_kernels_option(
      cmd, args->lowering.kernels,
      "kernel profile: arenaplan (the default, unlike plan's reference: only these kernels are in the generated "
      "code) emits the operator code too; reference or cmsis-nn only the memory interface");
  add_overlap_flag(cmd, args->lowering);
  add_schedule_option(cmd, args->schedule);
  cmd->add_flag("--io-outside-pool", args->io_outside_pool,
                "inputs and outputs are passed to <name>_run, not mapped into a pool");
  add_solve_options(cmd, args->solving);
  cmd->add_flag("-q,--quiet", args->quiet, "print nothing on success");
  cmd->add_option("--constant-data", args->constant_data,
                  "external constant pools' bytes: header (<name>_<pool>_data.h, an initialiser macro) or binary "
                  "(<name>_<pool>.bin, raw bytes to load or link: no C compiler parses the weights)")
      ->check(CLI::IsMember({"header", "binary"}))
      ->capture_default_str();
  add_pool_options(cmd, args->pools);
  add_map_option(cmd, args->map);
  cmd->callback([&action, args] { action = [args](const InputLimits& limits) { return run_compile(*args, limits); }; });
}

}  // namespace arenaplan::cli
