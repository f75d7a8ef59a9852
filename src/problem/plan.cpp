#include <algorithm>

#include "arenaplan/plan.h"

namespace arenaplan {

Bytes Plan::total_size() const {
  Bytes total = 0;
  for (Bytes size : pool_sizes) total += size;
  return total;
}

void compute_pool_sizes(const Problem& problem, Plan& plan) {
  plan.pool_sizes.assign(problem.pools.size(), 0);
  for (std::size_t i = 0; i < plan.placements.size() && i < problem.buffers.size(); ++i) {
    const Placement& p = plan.placements[i];
    if (p.pool < 0 || p.pool >= static_cast<std::int32_t>(problem.pools.size())) continue;
    plan.pool_sizes[p.pool] = std::max(plan.pool_sizes[p.pool], p.offset + problem.buffers[i].size);
  }
}

}  // namespace arenaplan
