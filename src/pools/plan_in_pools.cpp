// Planning a model into user pools: lower, choose candidates, assign, solve with every buffer
// fixed to its pool, check.
#include <fmt/format.h>

#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "arenaplan/lower_bound.h"
#include "pools/pools_internal.h"

namespace arenaplan {
namespace {

// Each pool solved on its own: used only if the whole solve fails where the fits succeeded.
Plan solve_pool_by_pool(const Problem& problem, const SolveOptions& solving) {
  Plan plan;
  plan.algorithm = solving.algorithm + " (pool by pool)";
  plan.placements.resize(problem.buffers.size());
  for (std::size_t p = 0; p < problem.pools.size(); ++p) {
    std::vector<std::int32_t> members;
    for (std::size_t i = 0; i < problem.buffers.size(); ++i)
      if (problem.buffers[i].pools[0] == static_cast<std::int32_t>(p)) members.push_back(static_cast<std::int32_t>(i));
    const Problem sub = pools::sub_problem(problem, static_cast<std::int32_t>(p), members, true);
    std::optional<Plan> part;
    try {
      part = solve(sub, solving);
    } catch (const NoSolution&) { part = pools::quick_fit(sub); }
    if (!part)
      throw NoSolution(
          fmt::format("pool '{}' cannot hold its buffers within {} bytes (raise its size= or move "
                      "buffers elsewhere with --place)",
                      problem.pools[p].name, problem.pools[p].limit.value_or(0)));
    for (std::size_t k = 0; k < members.size(); ++k)
      plan.placements[static_cast<std::size_t>(members[k])] = {static_cast<std::int32_t>(p),
                                                               part->placements[k].offset};
  }
  compute_pool_sizes(problem, plan);
  const auto bounds = pool_lower_bounds(problem, plan);
  for (Bytes b : bounds) plan.lower_bound += b;
  for (Bytes b : pool_lower_bounds(problem, plan, BoundKind::whole_tensor)) plan.whole_tensor_bound += b;
  return plan;
}

}  // namespace

std::vector<Bytes> buffer_access_bytes(const Graph& graph, const LoweredModel& lowered) {
  const Problem& problem = lowered.problem;
  std::vector<Bytes> access(problem.buffers.size(), 0);
  const auto consumers = graph.consumers();
  const auto producers = graph.producers();
  for (std::size_t t = 0; t < graph.tensors.size() && t < lowered.tensor_buffer.size(); ++t) {
    const std::int32_t b = lowered.tensor_buffer[t];
    if (b < 0) continue;
    const Tensor& tensor = graph.tensors[t];
    const Bytes touches = static_cast<Bytes>(consumers[t].size()) + (producers[t] >= 0 ? 1 : 0) +
                          (tensor.is_input ? 1 : 0) + (tensor.is_output ? 1 : 0);
    access[static_cast<std::size_t>(b)] += tensor.bytes * touches;
  }
  for (std::size_t i = 0; i < problem.buffers.size(); ++i)
    if (problem.buffers[i].kind == BufferKind::scratch) access[i] = 2 * problem.buffers[i].size;
  return access;
}

PooledModel plan_model_in_pools(const Graph& graph, LoweringOptions lowering, const SolveOptions& solving,
                                const PoolSetup& setup) {
  lowering.persistent_pool = false;
  PooledModel out;
  LoweredModel& lowered = out.model.lowered;
  lowered = lower_graph(graph, lowering);
  pools::Candidates candidates = pools::make_candidates(graph, lowered, setup);
  out.pools = candidates.pools;
  out.warnings = candidates.warnings;
  Problem& problem = lowered.problem;
  problem.pools.clear();
  for (const PoolSpec& spec : out.pools) problem.pools.push_back(spec.to_pool());
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) problem.buffers[i].pools = candidates.lists[i];
  lowered.arena_pool = lowered.constant_pool = lowered.persistent_pool = -1;
  for (std::size_t p = problem.pools.size(); p-- > 0;)
    (problem.pools[p].kind == PoolKind::constant ? lowered.constant_pool : lowered.arena_pool) =
        static_cast<std::int32_t>(p);
  normalise(problem, graph.source);

  const std::vector<Bytes> access = buffer_access_bytes(graph, lowered);
  out.choices.resize(problem.buffers.size());
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    out.choices[i].access_bytes = access[i];
    const Bytes size = problem.buffers[i].size;
    out.choices[i].density = size > 0 ? static_cast<double>(access[i]) / static_cast<double>(size) : 0.0;
  }
  Plan plan;
  try {  // a pool that overflows is named with the model it overflows for
    const std::vector<std::int32_t> assigned = pools::assign_pools(problem, candidates, out.choices, solving);
    Problem fixed = problem;  // every buffer's only candidate is its assigned pool
    for (std::size_t i = 0; i < fixed.buffers.size(); ++i) fixed.buffers[i].pools = {assigned[i]};
    try {
      plan = solve(fixed, solving);
    } catch (const NoSolution&) { plan = solve_pool_by_pool(fixed, solving); }
  } catch (const NoSolution& e) { throw NoSolution(fmt::format("{}: {}", graph.source, e.what())); }
  // The plan is checked against the problem with the user's candidate lists (pools by kind and
  // rule), not only against the assignment.
  if (auto violation = check_plan(problem, plan)) throw std::logic_error("pool plan fails the checker: " + *violation);
  out.model.plan = std::move(plan);
  return out;
}

}  // namespace arenaplan
