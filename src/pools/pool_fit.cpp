// Fitting a set of buffers into one pool: a cheap peak-live bound first, then fast algorithms.
#include <algorithm>
#include <map>

#include "arenaplan/error.h"
#include "arenaplan/lower_bound.h"
#include "pools/pools_internal.h"

namespace arenaplan::pools {

Problem sub_problem(const Problem& problem, std::int32_t pool, const std::vector<std::int32_t>& members, bool limited) {
  Problem sub;
  sub.pools = {problem.pools[static_cast<std::size_t>(pool)]};
  if (!limited) sub.pools[0].limit.reset();
  std::vector<std::int32_t> local(problem.buffers.size(), -1);
  for (std::size_t k = 0; k < members.size(); ++k)
    local[static_cast<std::size_t>(members[k])] = static_cast<std::int32_t>(k);
  for (std::int32_t i : members) {
    Buffer b = problem.buffers[static_cast<std::size_t>(i)];
    b.pools = {0};
    b.conflicts.clear();  // models give live ranges only
    b.fixed_offset.reset();
    // Overlap allowances with buffers of this pool, renumbered; the others cannot apply here.
    std::vector<OverlapAllowance> kept;
    for (const OverlapAllowance& a : b.overlaps)
      if (local[static_cast<std::size_t>(a.with)] >= 0)
        kept.push_back({local[static_cast<std::size_t>(a.with)], a.distance});
    b.overlaps = std::move(kept);
    sub.buffers.push_back(std::move(b));
  }
  return sub;
}

std::optional<Plan> quick_fit(const Problem& sub) {
  if (sub.buffers.empty()) return Plan{};
  const Pool& pool = sub.pools[0];
  if (pool.limit && lower_bound(sub) > *pool.limit) return std::nullopt;
  for (const char* name : {"first_fit_by_size", "best_fit_by_first_use", "first_fit_by_area"}) {
    SolveOptions options;
    options.algorithm = name;
    options.time_limit_seconds = 0.1;
    try {
      Plan plan = solve(sub, options);
      if (!pool.limit || plan.pool_sizes[0] <= *pool.limit) return plan;
    } catch (const NoSolution&) {}
  }
  return std::nullopt;
}

}  // namespace arenaplan::pools
