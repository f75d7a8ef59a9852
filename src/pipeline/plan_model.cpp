#include "arenaplan/lower_bound.h"
#include "arenaplan/model_planning.h"

namespace arenaplan {

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

ModelPlan plan_model(const Graph& graph, const LoweringOptions& lowering, SolveOptions solving) {
  ModelPlan out;
  out.lowered = lower_graph(graph, lowering);
  if (lowering.tflm_compat && solving.algorithm == "auto") solving.algorithm = "tflm";
  out.plan = solve(out.lowered.problem, solving);
  return out;
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
