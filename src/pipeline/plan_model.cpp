// plan_models(): the one entry point for planning models, with or without the chip's pools.
#include <algorithm>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/lower_bound.h"
#include "arenaplan/model_planning.h"
#include "pipeline/pipeline_internal.h"

namespace arenaplan {
namespace {

// The lowering's own pools: one arena, constants, and variables where the lowering put them.
ModelPlan plan_in_arena(const Graph& graph, const LoweringOptions& lowering, SolveOptions solving) {
  ModelPlan out;
  out.lowered = lower_graph(graph, lowering);
  if (lowering.tflm_compat && solving.algorithm == "auto") solving.algorithm = "tflm";
  out.plan = solve(out.lowered.problem, solving);
  return out;
}

// The shared pool becomes external: the application allocates it once, for the largest model.
PoolSetup share_pool(PoolSetup setup, const std::string& name) {
  const auto it =
      std::find_if(setup.pools.begin(), setup.pools.end(), [&](const PoolSpec& p) { return p.name == name; });
  if (it == setup.pools.end()) throw InputError(fmt::format("shared pool '{}': no pool of that name", name));
  if (it->kind != PoolKind::workspace)
    throw InputError(fmt::format("shared pool '{}': only a workspace pool can be shared", name));
  it->external = true;
  return setup;
}

}  // namespace

Bytes ModelPlan::arena_bytes() const {
  return lowered.arena_pool >= 0 ? plan.pool_sizes.at(static_cast<std::size_t>(lowered.arena_pool)) : 0;
}

Bytes ModelPlan::arena_lower_bound() const {
  if (lowered.arena_pool < 0) return 0;
  return pool_lower_bounds(lowered.problem, plan).at(static_cast<std::size_t>(lowered.arena_pool));
}

Bytes ModelPlan::arena_whole_tensor_bound() const {
  if (lowered.arena_pool < 0) return 0;
  return pool_lower_bounds(lowered.problem, plan, BoundKind::whole_tensor)
      .at(static_cast<std::size_t>(lowered.arena_pool));
}

Bytes ModelPlan::persistent_bytes() const {
  return lowered.persistent_pool >= 0 ? plan.pool_sizes.at(static_cast<std::size_t>(lowered.persistent_pool)) : 0;
}

bool ModelPlan::variables_in_arena() const {
  for (const Buffer& b : lowered.problem.buffers)
    if (b.kind == BufferKind::variable && b.pools.front() == lowered.arena_pool) return true;
  return false;
}

Bytes ModelsPlan::shared_pool_size() const {
  return shared_pool_bytes.empty() ? 0 : *std::max_element(shared_pool_bytes.begin(), shared_pool_bytes.end());
}

ModelsPlan plan_models(std::span<const Graph> graphs, const ModelPlanOptions& options) {
  if (!options.shared_pool.empty() && !options.pools)
    throw InputError(fmt::format("shared pool '{}': no pools are given", options.shared_pool));
  std::optional<PoolSetup> setup = options.pools;
  if (setup && !options.shared_pool.empty()) setup = share_pool(*setup, options.shared_pool);
  ModelsPlan out;
  for (const Graph& graph : graphs) {
    PooledModel& m = out.models.emplace_back();
    if (!setup) {
      m.model = plan_in_arena(graph, options.lowering, options.solving);
      continue;
    }
    m = pipeline::plan_in_pools(graph, options.lowering, options.solving, *setup);
    if (!options.shared_pool.empty()) {
      const auto p = m.model.lowered.problem.find_pool(options.shared_pool);
      out.shared_pool_bytes.push_back(p ? m.model.plan.pool_sizes[static_cast<std::size_t>(*p)] : 0);
    }
  }
  return out;
}

ModelPlan plan_model(const Graph& graph, const LoweringOptions& lowering, SolveOptions solving) {
  ModelPlanOptions options;
  options.lowering = lowering;
  options.solving = std::move(solving);
  ModelsPlan planned = plan_models({&graph, 1}, options);
  return std::move(planned.models.front().model);
}

PooledModel plan_model_in_pools(const Graph& graph, LoweringOptions lowering, const SolveOptions& solving,
                                const PoolSetup& setup) {
  ModelPlanOptions options;
  options.lowering = std::move(lowering);
  options.solving = solving;
  options.pools = setup;
  ModelsPlan planned = plan_models({&graph, 1}, options);
  return std::move(planned.models.front());
}

ModelPlan plan_like_tflm(const Graph& graph, const std::string& kernels) {
  LoweringOptions lowering;
  lowering.kernels = kernels;
  lowering.tflm_compat = true;
  SolveOptions solving;
  solving.algorithm = "tflm";
  return plan_model(graph, lowering, solving);
}

}  // namespace arenaplan
