// arenaplan plan MODEL: import a .tflite model, lower it with a kernel profile, plan it, report.
#include <iostream>
#include <sstream>

#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/tflite.h"
#include "cli/commands.h"
#include "cli/map_output.h"
#include "cli/plan_report.h"
#include "cli/pool_options.h"
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

int run_plan(PlanArgs args, const InputLimits& limits) {
  ModelPlanOptions options;
  options.lowering = args.lowering;
  options.solving = args.solving;
  options.shared_pool = args.pools.shared_pool;
  options.lowering.tflm_compat = args.compat == "tflm";
  options.lowering.io_in_arena = !args.io_outside_arena;
  options.lowering.alias_reshapes = !args.no_alias;
  std::vector<std::string> models = {args.model};
  models.insert(models.end(), args.pools.more_models.begin(), args.pools.more_models.end());
  if (models.size() > 1 && args.pools.shared_pool.empty())
    throw InputError("several models: name the workspace pool they share with --shared-pool NAME");
  if (args.pools.active()) options.pools = pool_setup(args.pools, limits);
  std::vector<Graph> graphs;
  for (const std::string& model : models) graphs.push_back(read_tflite(model, limits));
  if (options.pools) {
    const ModelsPlan planned = plan_models(graphs, options);
    for (const PooledModel& m : planned.models) print_warnings(m);
    const PoolPlanOutput out = pool_plan_output(models, graphs, planned, args.pools.shared_pool, !args.no_timing);
    if (!args.output.empty()) write_file_atomically(args.output, out.json);
    std::cout << (args.format == "json" ? out.json : out.text);
    return 0;
  }
  const Graph& graph = graphs.front();
  SolveWatch watch(options.solving);  // progress on a terminal; Ctrl-C returns the best plan so far
  const PooledModel planned = std::move(plan_models(graphs, options).models.front());
  watch.finish();
  print_warnings(planned);
  const ModelPlan& ours = planned.model;
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
  const bool already_tflm = options.lowering.tflm_compat && ours.plan.algorithm == "tflm";
  const ModelPlan tflm = already_tflm ? ours : plan_like_tflm(graph, options.lowering.kernels);
  std::cout << plan_report({graph, ours, &tflm, options.lowering.kernels, !args.no_timing});
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
  cmd->add_option("-o,--output", args->output, "also write the plan JSON to FILE");
  add_map_option(cmd, args->map);
  add_pool_options(cmd, args->pools);
  add_shared_pool_options(cmd, args->pools);
  cmd->add_flag("--no-timing", args->no_timing, "leave timings out so the output depends only on the input");
  cmd->callback([&action, args] { action = [args](const InputLimits& limits) { return run_plan(*args, limits); }; });
}

}  // namespace arenaplan::cli
