#include "algorithms/exact.h"

#include <algorithm>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "algorithms/builtins.h"
#include "algorithms/exact_instance.h"
#include "algorithms/exact_pool.h"
#include "algorithms/gap_fill_algorithms.h"
#include "algorithms/run_members.h"
#include "arenaplan/error.h"

namespace arenaplan::exact {
namespace {

// The best gap-filling plan (all orders, both fits, while the budget lasts: the first placement
// always completes), preferring plans within the limits.
std::optional<Plan> heuristic_plan(const Problem& problem, const Budget& budget) {
  detail::LazyConflictIndex index(problem);
  detail::GapFillRules rules;
  rules.other_orders_up_to = 20000;  // beyond: size and first use only
  std::optional<Plan> best;
  bool best_fits = false;
  detail::for_each_gap_fill(problem, index, budget, rules, [&](detail::GapFillTry& attempt) {
    Plan& plan = attempt.placed.plan;
    compute_pool_sizes(problem, plan);
    const bool fits = attempt.placed.fits();
    if (!best || (fits && !best_fits) || (fits == best_fits && plan.total_size() < best->total_size())) {
      best = std::move(plan);
      best_fits = fits;
    }
    return false;
  });
  return best;
}

bool assignment_forced(const Problem& problem) {
  if (problem.pools.size() <= 1) return true;
  for (const Buffer& buffer : problem.buffers) {
    if (buffer.pools.size() > 1) return false;
  }
  return true;
}

// Runs the pool solver on every pool of `plan`'s assignment. `capacity_mode`: pools with a
// limit only need to fit. Throws NoSolution / InputError when `strict`.
Plan run(const Problem& problem, const AlgorithmContext& context, const Plan& start, bool capacity_mode, bool strict) {
  Plan plan = start;
  plan.algorithm = "exact";
  bool all_optimal = true;
  std::vector<std::vector<std::int32_t>> members(problem.pools.size());
  for (std::size_t b = 0; b < problem.buffers.size(); ++b)
    members[start.placements[b].pool].push_back(static_cast<std::int32_t>(b));
  std::size_t pools_left = 0;
  for (const auto& list : members) pools_left += list.empty() ? 0 : 1;
  for (std::size_t p = 0; p < problem.pools.size(); ++p) {
    if (members[p].empty()) continue;
    PoolTask task;
    task.pool = static_cast<std::int32_t>(p);
    task.buffers = members[p];
    task.limit = problem.pools[p].limit;
    task.minimise = !(capacity_mode && task.limit);
    task.incumbent = &start;
    task.seed = context.options.seed;
    task.threads = detail::member_threads(context.options);
    task.refuse_large = strict;
    const Budget share = context.budget.part(1.0 / static_cast<double>(pools_left--));
    PoolResult result = solve_pool(problem, task, share);
    if (result.status != PoolStatus::solved) {
      if (strict) {
        if (result.status == PoolStatus::too_large) throw InputError(result.message);
        throw NoSolution(result.message);
      }
      all_optimal = false;
      continue;  // keep the incumbent's offsets for this pool
    }
    for (std::size_t i = 0; i < task.buffers.size(); ++i) {
      plan.placements[task.buffers[i]] = arenaplan::Placement{task.pool, result.offsets[i]};
    }
    all_optimal = all_optimal && result.optimal && task.minimise;
  }
  compute_pool_sizes(problem, plan);
  plan.optimal = (all_optimal && assignment_forced(problem)) || plan.total_size() <= context.lower_bound;
  return plan;
}

}  // namespace

Plan improve(const Problem& problem, const AlgorithmContext& context, const Plan& incumbent) {
  Plan plan = run(problem, context, incumbent, /*capacity_mode=*/false, /*strict=*/false);
  Plan before = incumbent;
  compute_pool_sizes(problem, before);
  if (before.total_size() < plan.total_size()) return before;
  return plan;
}

// Throws the too-large error before any work when a group of buffers (by first candidate pool)
// is beyond the exact search.
void check_sizes(const Problem& problem) {
  std::vector<std::vector<std::int32_t>> by_pool(problem.pools.size());
  for (std::size_t b = 0; b < problem.buffers.size(); ++b) {
    const Buffer& buffer = problem.buffers[b];
    if (buffer.size > 0)
      by_pool[buffer.pools.empty() ? 0 : buffer.pools.front()].push_back(static_cast<std::int32_t>(b));
  }
  for (std::size_t p = 0; p < by_pool.size(); ++p) {
    for (const auto& group : split_components(problem, by_pool[p])) {
      const bool general = std::any_of(group.begin(), group.end(),
                                       [&](std::int32_t b) { return !problem.buffers[b].conflicts.empty(); });
      const std::size_t cap = general ? kConflictLimit : kIntervalLimit;
      if (group.size() > cap) {
        throw InputError(fmt::format(
            "exact: pool '{}' has an independent group of {} buffers{}; the exact search handles at most {} "
            "(use the algorithm `auto`)",
            problem.pools[p].name, group.size(), general ? " joined by explicit conflicts" : "", cap));
      }
    }
  }
}

Plan solve_exact(const Problem& problem, const AlgorithmContext& context) {
  check_sizes(problem);
  std::optional<Plan> start = heuristic_plan(problem, context.budget);
  if (!start) throw NoSolution("exact: no buffers to place");
  bool capacity_mode = false;
  for (const Pool& pool : problem.pools) capacity_mode = capacity_mode || pool.limit.has_value();
  return run(problem, context, *start, capacity_mode, /*strict=*/true);
}

}  // namespace arenaplan::exact

namespace arenaplan::detail {

void register_exact() {
  register_algorithm({"exact",
                      "branch and bound (canonical skyline placement, section inference, dominance): fits a capacity "
                      "or proves it cannot; without a limit, minimises and proves optimality within the time limit",
                      exact::solve_exact});
}

}  // namespace arenaplan::detail
