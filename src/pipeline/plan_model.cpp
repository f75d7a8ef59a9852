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

bool uses_halo_rings(const LoweredModel& l) {
  return std::any_of(l.operator_memory.begin(), l.operator_memory.end(),
                     [](const OperatorMemory& m) { return m.kernel.ends_with("_ring"); });
}

Bytes workspace_bytes(const ModelPlan& m) {
  Bytes total = 0;
  for (std::size_t p = 0; p < m.lowered.problem.pools.size(); ++p)
    if (m.lowered.problem.pools[p].kind == PoolKind::workspace) total += m.plan.pool_sizes[p];
  return total;
}

PooledModel plan_one(const Graph& graph, const ModelPlanOptions& options, const LoweringOptions& lowering,
                     const std::optional<PoolSetup>& setup) {
  if (!setup) {
    PooledModel m;
    m.model = plan_in_arena(graph, lowering, options.solving);
    return m;
  }
  return pipeline::plan_in_pools(graph, lowering, options.solving, *setup);
}

// A depthwise halo ring keeps a chain of depthwise layers from drifting down the arena by a halo
// each, but it is scratch of its own, which costs bytes where the halo would have been free (an
// output placed apart from its input anyway). When the plan with rings misses its lower bound,
// the plan with halos is tried too and the smaller kept (the first on a tie).
PooledModel plan_with_best_halos(const Graph& graph, const ModelPlanOptions& options,
                                 const std::optional<PoolSetup>& setup) {
  PooledModel m = plan_one(graph, options, options.lowering, setup);
  if (m.model.plan.optimal || !uses_halo_rings(m.model.lowered)) return m;
  LoweringOptions halos = options.lowering;
  halos.halo_rings = false;
  PooledModel other = plan_one(graph, options, halos, setup);
  return workspace_bytes(other.model) < workspace_bytes(m.model) ? other : m;
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
    PooledModel& m = out.models.emplace_back(plan_with_best_halos(graph, options, setup));
    if (setup && !options.shared_pool.empty()) {
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

Bytes model_whole_tensor_bound(const Graph& graph, LoweringOptions lowering) {
  lowering.overlaps = false;
  const LoweredModel l = lower_graph(graph, lowering);
  std::vector<std::int32_t> arena;
  for (std::size_t i = 0; i < l.problem.buffers.size(); ++i)
    if (!l.problem.buffers[i].pools.empty() && l.problem.buffers[i].pools.front() == l.arena_pool)
      arena.push_back(static_cast<std::int32_t>(i));
  return l.arena_pool < 0 ? 0 : members_lower_bound(l.problem, arena, BoundKind::whole_tensor);
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
