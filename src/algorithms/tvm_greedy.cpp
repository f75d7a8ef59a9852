// greedy_by_size and greedy_by_conflicts as TVM USMP defines them (GreedyBase::PostSortAllocation):
// each buffer goes above the highest end of its placed conflicts in the first candidate pool
// that can still hold it; no gap filling. Two TVM bugs are not copied: a pool rejected for a
// buffer is never re-admitted by a later conflict (TVM could overlap buffers that way), and
// offsets are rounded to the placed buffer's own alignment too.
#include <algorithm>
#include <map>
#include <numeric>

#include "algorithms/builtins.h"
#include "algorithms/gap_fill.h"
#include "algorithms/tvm_common.h"
#include "arenaplan/algorithm.h"
#include "arenaplan/error.h"

namespace arenaplan::detail {
namespace {

bool valid(const Pool& pool, Bytes offset, Bytes size) { return !pool.limit || offset + size <= *pool.limit; }

Plan tvm_greedy(const Problem& problem, bool by_size) {
  const TvmView view(problem);
  std::vector<std::int32_t> order(problem.buffers.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    return by_size ? tvm_size_before(view, a, b) : tvm_conflicts_before(view, a, b);
  });
  // Pre-placed buffers first, at their offsets.
  std::stable_partition(order.begin(), order.end(),
                        [&](std::int32_t i) { return problem.buffers[i].fixed_offset.has_value(); });

  Plan plan;
  plan.placements.assign(problem.buffers.size(), Placement{});
  std::vector<char> done(problem.buffers.size(), 0);
  for (std::int32_t i : order) {
    const Buffer& b = problem.buffers[i];
    if (b.fixed_offset) {
      plan.placements[i] = {b.pools.front(), *b.fixed_offset};
      done[i] = 1;
      continue;
    }
    std::map<std::int32_t, Bytes> candidates;
    std::vector<char> rejected(problem.pools.size(), 0);
    for (std::int32_t p : b.pools)
      if (valid(problem.pools[p], 0, b.size)) candidates[p] = 0;
    for (std::int32_t c : view.conflicts[i]) {
      if (!done[c]) continue;
      const Placement& pc = plan.placements[c];
      if (rejected[pc.pool]) continue;
      const Buffer& cb = problem.buffers[c];
      const Bytes next = align_up(align_up(pc.offset + cb.size, cb.alignment), b.alignment);
      if (valid(problem.pools[pc.pool], next, b.size)) {
        auto it = candidates.find(pc.pool);
        if (it != candidates.end()) it->second = std::max(it->second, next);
      } else {
        candidates.erase(pc.pool);
        rejected[pc.pool] = 1;
      }
    }
    auto chosen = std::find_if(b.pools.begin(), b.pools.end(), [&](std::int32_t p) { return candidates.count(p) > 0; });
    if (chosen == b.pools.end()) {
      // By how much the first pool is short: the highest end among its placed conflicts.
      Bytes top = 0;
      for (std::int32_t c : view.conflicts[i])
        if (done[c] && plan.placements[c].pool == b.pools.front())
          top = std::max(top, plan.placements[c].offset + problem.buffers[c].size);
      throw NoSolution(tvm_no_fit_message(
          problem, i, align_up(top, b.alignment) + b.size - problem.pools[b.pools.front()].limit.value_or(0)));
    }
    plan.placements[i] = {*chosen, candidates[*chosen]};
    done[i] = 1;
  }
  return plan;
}

}  // namespace

void register_tvm_algorithms() {
  register_algorithm({"greedy_by_size", "TVM USMP greedy_by_size (no gap filling), TVM's ordering and tie-breaks",
                      [](const Problem& p, const AlgorithmContext&) { return tvm_greedy(p, true); }});
  register_algorithm({"greedy_by_conflicts", "TVM USMP greedy_by_conflicts (no gap filling)",
                      [](const Problem& p, const AlgorithmContext&) { return tvm_greedy(p, false); }});
}

}  // namespace arenaplan::detail
