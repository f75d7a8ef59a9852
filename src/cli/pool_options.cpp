#include "cli/pool_options.h"

#include <algorithm>
#include <iostream>
#include <span>
#include <sstream>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "arenaplan/onnx.h"
#include "arenaplan/tflite.h"
#include "cli/firmware_summary.h"
#include "cli/map_output.h"
#include "cli/pool_report.h"
#include "cli/report_text.h"
#include "cli/schedule_option.h"
#include "io/outputs.h"

namespace arenaplan::cli {

void add_pool_options(CLI::App* cmd, PoolArgs& args) {
  cmd->add_option("--pool", args.specs,
                  "a memory pool, repeatable, in priority order: NAME[:size=64K,align=16,kind=workspace|constant,"
                  "kinds=activation+scratch,external,section=.name]");
  cmd->add_option("--pools", args.file,
                  "the pools from a JSON file ({\"pools\": [{\"name\": ..., \"size\": \"64K\"}]})");
  cmd->add_option("--place", args.place, "PATTERN=POOL: buffers whose name matches the glob go to POOL (repeatable)");
}

void add_shared_pool_options(CLI::App* cmd, PoolArgs& args) {
  cmd->add_option("MORE_MODELS", args.more_models, "more models that run one after another, sharing --shared-pool");
  cmd->add_option("--shared-pool", args.shared_pool, "the workspace pool several models share (sized for the largest)");
}

PoolSetup pool_setup(const PoolArgs& args, const InputLimits& limits) {
  PoolSetup setup;
  if (!args.file.empty()) setup.pools = read_pools_file(args.file, limits);
  for (const std::string& spec : args.specs) setup.pools.push_back(parse_pool_spec(spec, "--pool " + spec));
  check_pool_names(setup.pools, "--pool");
  for (const std::string& rule : args.place) setup.place.push_back(parse_place_rule(rule, "--place " + rule));
  return setup;
}

std::vector<std::string> input_files(const std::string& model, const PoolArgs& args) {
  std::vector<std::string> files = {model};
  files.insert(files.end(), args.more_models.begin(), args.more_models.end());
  if (!args.file.empty()) files.push_back(args.file);
  return files;
}

void print_warnings(const PooledModel& pooled) {
  print_warnings(pooled.model.lowered.warnings);
  print_warnings(pooled.warnings);
}

PlannedModelFile plan_model_file(const ModelFileRun& run, const PoolArgs& pools, const InputLimits& limits) {
  PlannedModelFile planned;
  planned.file_graph = read_model(run.model, limits, run.onnx);
  planned.schedule = schedule_graph(planned.file_graph, run.schedule, run.lowering);
  planned.lowering = run.lowering;
  planned.lowering.io_in_arena = !run.io_outside_pool;
  ModelPlanOptions options;
  options.lowering = planned.lowering;
  options.solving = run.solving;
  options.pools = pool_setup(pools, limits);
  planned.pooled = std::move(plan_models(std::span<const Graph>(&planned.schedule.graph, 1), options).models.front());
  return planned;
}

int run_pool_plan(const PoolPlanRun& run, const PoolArgs& args, const InputLimits& limits) {
  ModelPlanOptions options;  // planned in one library call (shared pool sizing included)
  options.lowering = run.lowering;
  options.solving = run.solving;
  options.pools = pool_setup(args, limits);
  options.shared_pool = args.shared_pool;
  std::vector<std::string> models = {run.model};
  models.insert(models.end(), args.more_models.begin(), args.more_models.end());
  if (models.size() > 1 && args.shared_pool.empty())
    throw InputError("several models: name the workspace pool they share with --shared-pool NAME");
  if (models.size() > 1 && !run.map.empty())
    throw InputError("--map draws one plan: with several models, plan each one alone to draw its map");
  const bool text_map = run.format == "ascii" || run.map == "-";
  Outputs outputs(input_files(run.model, args));
  std::ostringstream drawn;
  std::string text, json = models.size() > 1 ? "[\n" : "";
  std::string summary = json;  // what --format json prints when -o has the plans
  std::vector<Graph> graphs;
  for (const std::string& model : models) graphs.push_back(read_model(model, limits, run.onnx));
  const ModelsPlan planned = plan_models(graphs, options);
  for (std::size_t m = 0; m < models.size(); ++m) {
    const Graph& graph = graphs[m];
    const PooledModel& pooled = planned.models[m];
    print_warnings(pooled);
    std::ostringstream one;
    const std::vector<TensorAlias> aliases = tensor_aliases(graph, pooled.model.lowered);
    write_plan_json(pooled.model.lowered.problem, pooled.model.plan, one, run.timing, aliases);
    json += (m > 0 ? ",\n" : "") + one.str();
    std::ostringstream brief;
    write_plan_summary_json(pooled.model.lowered.problem, pooled.model.plan, brief, run.timing, run.output, aliases);
    summary += (m > 0 ? ",\n" : "") + brief.str();
    text += (m > 0 ? "\n" : "") + firmware_summary(graph, pooled, run.lowering.kernels) +
            pool_report(graph, pooled, run.timing, run.verbose);
    if (models.size() == 1) {
      const MapLabels labels = model_map_labels(graph, pooled.model.lowered, models[m]);
      add_map_output(outputs, run.map, pooled.model.lowered.problem, pooled.model.plan, labels);
      if (text_map) draw_text_map(pooled.model.lowered.problem, pooled.model.plan, labels, drawn);
    }
  }
  if (models.size() > 1) {
    json += "]\n";
    summary += "]\n";
  }
  if (!args.shared_pool.empty()) {
    text += fmt::format("\nshared pool '{}' (models run one after another; each plan is its own)\n", args.shared_pool);
    for (std::size_t m = 0; m < planned.shared_pool_bytes.size(); ++m)
      text += fmt::format("  {:<50} {:>10} bytes\n", models[m], planned.shared_pool_bytes[m]);
    text += fmt::format("  the pool needs {} bytes (the largest)\n", planned.shared_pool_size());
  }
  if (!run.output.empty()) outputs.add_file("-o", run.output, json);
  outputs.write();
  std::cout << (run.format != "json" ? text : run.output.empty() ? json : summary);
  (run.format == "json" ? std::cerr : std::cout) << drawn.str();  // as plan without pools
  return 0;
}

}  // namespace arenaplan::cli
