// arenaplan plan MODEL: import a .tflite model, lower it with a kernel profile, plan it, report.
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/onnx.h"
#include "arenaplan/tflite.h"
#include "arenaplan/tflm_offline_plan.h"
#include "cli/commands.h"
#include "cli/firmware_summary.h"
#include "cli/map_output.h"
#include "cli/model_options.h"
#include "cli/output_options.h"
#include "cli/plan_report.h"
#include "cli/pool_options.h"
#include "cli/schedule_option.h"
#include "cli/solve_options.h"
#include "cli/solve_watch.h"
#include "io/files.h"

namespace arenaplan::cli {
namespace {

struct PlanArgs {
  std::string model;
  std::string compat;
  std::string format = "text";
  std::string output;
  std::string map;           // --map FILE.svg|FILE.html|-
  std::string tflm_offline;  // --tflm-offline-plan OUT.tflite
  std::string schedule;      // --schedule file|memory; empty: by kernel profile
  bool io_outside_pool = false;
  bool no_alias = false;
  bool no_timing = false;
  bool verbose = false;
  LoweringOptions lowering;
  SolveOptions solving;
  PoolArgs pools;
  OnnxOptions onnx;  // --dim  // --pool, --pools, --place, --shared-pool
};

// --tflm-offline-plan: a copy of the model carrying arenaplan's offsets for TFLite Micro's interpreter.
// Adds the model copy to `outputs`; returns the report line.
std::string add_tflm_offline_model(const PlanArgs& args, const Graph& graph, Outputs& outputs,
                                   const InputLimits& limits) {
  if (args.lowering.kernels == "arenaplan")
    throw InputError(
        "--tflm-offline-plan plans for TFLite Micro's own kernels: use --kernels reference or cmsis-nn "
        "(the arenaplan kernels run only in the generated code)");
  const TflmOfflinePlan offline = plan_tflm_offline(graph, args.lowering.kernels, args.solving);
  const std::string model = read_file(args.model, limits);
  const std::string out = add_tflm_offline_plan({reinterpret_cast<const std::uint8_t*>(model.data()), model.size()},
                                                args.model, offline.offsets);
  outputs.add_file("--tflm-offline-plan", args.tflm_offline, out);
  return fmt::format(
      "TFLite Micro offline plan: {} ({} tensor offsets from {}); TFLite Micro's head {} bytes without it, {} with "
      "it{}\n",
      args.tflm_offline, offline.planned_tensors, offline.source, offline.tflm_head, offline.offline_head,
      offline.scratch_bytes
          ? fmt::format(" (its kernels' {} bytes of run-time scratch placed around the offsets)", offline.scratch_bytes)
          : "");
}

int run_plan(PlanArgs args, const InputLimits& limits) {
  if (!args.tflm_offline.empty() && (args.pools.active() || !args.compat.empty() || args.io_outside_pool))
    throw InputError(
        "--tflm-offline-plan plans TFLite Micro's single arena: it takes no --pool, --compat or "
        "--io-outside-pool");
  args.lowering.tflm_compat = args.compat == "tflm";
  args.lowering.io_in_arena = !args.io_outside_pool;
  args.lowering.alias_reshapes = !args.no_alias;
  if (args.pools.active())
    return run_pool_plan({args.model, args.format, args.output, args.map, !args.no_timing, args.verbose, args.lowering,
                          args.solving, args.onnx},
                         args.pools, limits);
  const Graph file_graph = read_model(args.model, limits, args.onnx);
  const ScheduleResult schedule = schedule_graph(file_graph, args.schedule, args.lowering);
  const std::vector<Graph> graphs = {schedule.graph};
  const Graph& graph = graphs.front();
  ModelPlanOptions options;  // the library's one call; without pools: one arena
  options.lowering = args.lowering;
  options.solving = args.solving;
  SolveWatch watch(options.solving);  // progress on a terminal; Ctrl-C returns the best plan so far
  const PooledModel planned = std::move(plan_models(graphs, options).models.front());
  watch.finish();
  print_warnings(planned);
  const ModelPlan& ours = planned.model;
  std::ostringstream json;
  const std::vector<TensorAlias> aliases = tensor_aliases(graph, ours.lowered);
  write_plan_json(ours.lowered.problem, ours.plan, json, !args.no_timing, aliases);
  const MapLabels labels = model_map_labels(graph, ours.lowered, args.model);
  Outputs outputs(input_files(args.model, args.pools));
  if (!args.output.empty()) outputs.add_file("-o", args.output, json.str());
  add_map_output(outputs, args.map, ours.lowered.problem, ours.plan, labels);
  const std::string offline =
      args.tflm_offline.empty() ? "" : add_tflm_offline_model(args, file_graph, outputs, limits);
  outputs.write();
  const bool text_map = args.format == "ascii" || args.map == "-";
  if (text_map && args.format == "json") draw_text_map(ours.lowered.problem, ours.plan, labels, std::cerr);
  if (args.format == "json") {
    if (args.output.empty())
      std::cout << json.str();
    else  // the plan is in the file: not printed again
      write_plan_summary_json(ours.lowered.problem, ours.plan, std::cout, !args.no_timing, args.output, aliases);
    return 0;
  }
  // What TFLite Micro would need, computed with the compat rules (the same run when --compat tflm).
  const bool already_tflm = args.lowering.tflm_compat && ours.plan.algorithm == "tflm";
  const ModelPlan tflm = already_tflm ? ours : plan_like_tflm(file_graph, args.lowering.kernels);
  const std::optional<Bytes> whole = ours.lowered.problem.has_overlaps()
                                         ? std::optional<Bytes>(model_whole_tensor_bound(graph, args.lowering))
                                         : std::nullopt;
  std::cout << firmware_summary(graph, planned, args.lowering.kernels)
            << plan_report({graph, ours, &tflm, args.lowering.kernels, !args.no_timing, whole})
            << schedule_report(schedule) << offline;
  if (text_map) draw_text_map(ours.lowered.problem, ours.plan, labels, std::cout);
  return 0;
}

}  // namespace

void add_plan_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<PlanArgs>();
  CLI::App* cmd = app.add_subcommand("plan", "import a .tflite model, plan its memory and print a report");
  cmd->add_option("MODEL", args->model, "model: TensorFlow Lite (.tflite) or ONNX (.onnx)")->required();
  add_model_options(cmd, args->onnx);
  add_solve_options(cmd, args->solving);
  add_kernels_option(cmd, args->lowering.kernels,
                     "kernel profile: scratch buffers and stages of each operator. The default is TFLite Micro's "
                     "reference kernels, what firmware running TFLite Micro executes (compile and run default to "
                     "arenaplan, the kernels of the generated code)");
  cmd->add_option("--compat", args->compat, "reproduce another planner's rules: tflm (TFLite Micro)")
      ->check(CLI::IsMember({"tflm"}));
  cmd->add_flag("--io-outside-pool", args->io_outside_pool, "graph inputs and outputs are caller-owned, not planned");
  // The name this flag had before compile and run named it: kept, hidden.
  cmd->add_flag("--io-outside-arena", args->io_outside_pool)->group("");
  cmd->add_flag("--persistent-pool", args->lowering.persistent_pool, "variable tensors in their own persistent pool");
  add_overlap_flag(cmd, args->lowering);
  add_schedule_option(cmd, args->schedule);
  cmd->add_flag("--no-alias", args->no_alias, "RESHAPE/SQUEEZE/EXPAND_DIMS get their own buffers");
  cmd->add_option("--format", args->format, "report on stdout: text, json, or ascii (text and the memory map)")
      ->check(CLI::IsMember({"text", "json", "ascii"}))
      ->capture_default_str();
  add_output_option(cmd, args->output, "also write the plan JSON to FILE");
  add_map_option(cmd, args->map);
  cmd->add_option("--tflm-offline-plan", args->tflm_offline,
                  "also write a copy of the model whose OfflineMemoryAllocation metadata makes stock TFLite Micro "
                  "use arenaplan's offsets (planned with TFLite Micro's lifetimes and kernels)")
      ->check(non_empty_path());
  add_pool_options(cmd, args->pools);
  add_shared_pool_options(cmd, args->pools);
  cmd->add_flag("-v,--verbose", args->verbose,
                "with pools: list every buffer (pool, offset, why) even for models over 30 buffers");
  cmd->add_flag("--no-timing", args->no_timing, "leave timings out so the output depends only on the input");
  cmd->callback([&action, args] { action = [args](const InputLimits& limits) { return run_plan(*args, limits); }; });
}

}  // namespace arenaplan::cli
