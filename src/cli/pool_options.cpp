#include "cli/pool_options.h"

#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "arenaplan/io.h"
#include "cli/pool_report.h"

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

PoolPlanOutput pool_plan_output(const std::vector<std::string>& models, const std::vector<Graph>& graphs,
                                const ModelsPlan& planned, const std::string& shared_pool, bool timing) {
  PoolPlanOutput out;
  const bool several = planned.models.size() > 1;
  out.json = several ? "[\n" : "";
  for (std::size_t m = 0; m < planned.models.size(); ++m) {
    const PooledModel& pooled = planned.models[m];
    std::ostringstream one;
    write_plan_json(pooled.model.lowered.problem, pooled.model.plan, one, timing);
    out.json += (m > 0 ? ",\n" : "") + one.str();
    out.text += (m > 0 ? "\n" : "") + pool_report(graphs[m], pooled, timing);
  }
  if (several) out.json += "]\n";
  if (!shared_pool.empty()) {
    out.text += fmt::format("\nshared pool '{}' (models run one after another; each plan is its own)\n", shared_pool);
    for (std::size_t m = 0; m < planned.shared_pool_bytes.size(); ++m)
      out.text += fmt::format("  {:<50} {:>10} bytes\n", models[m], planned.shared_pool_bytes[m]);
    out.text += fmt::format("  the pool needs {} bytes (the largest)\n", planned.shared_pool_size());
  }
  return out;
}

void print_warnings(const PooledModel& pooled) {
  for (const std::string& w : pooled.model.lowered.warnings) std::cerr << "arenaplan: warning: " << w << '\n';
  for (const std::string& w : pooled.warnings) std::cerr << "arenaplan: warning: " << w << '\n';
}

}  // namespace arenaplan::cli
