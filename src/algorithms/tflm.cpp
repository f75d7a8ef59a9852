// `tflm`: TensorFlow Lite Micro's GreedyMemoryPlanner (memory_planner/greedy_memory_planner.cc)
// on a Problem. Pre-placed (offline) buffers first, in order, at their offsets; then the others
// by size, descending (ties in reverse problem order, as TFLM's buffer arrays are filled from
// the back before its stable bubble sort); each is placed first-fit:
// walk the already-placed buffers that conflict with it in offset order and take the first gap
// that is large enough, else go after the last of them.
#include <algorithm>

#include <fmt/format.h>

#include "algorithms/builtins.h"
#include "arenaplan/algorithm.h"
#include "arenaplan/error.h"
#include "problem/align.h"

namespace arenaplan::detail {
namespace {

struct Placed {
  Bytes offset;
  Bytes size;
  std::int32_t buffer;
};

bool conflict(const Problem& problem, std::int32_t a, std::int32_t b) {
  const Buffer& x = problem.buffers[a];
  if (std::binary_search(x.conflicts.begin(), x.conflicts.end(), b)) return true;
  return live_ranges_overlap(x, problem.buffers[b]);
}

// TFLM's linked list of placed buffers, ordered by offset; a new entry goes after entries with
// the same offset.
void insert(std::vector<Placed>& list, Placed entry) {
  auto at = std::upper_bound(list.begin(), list.end(), entry.offset,
                             [](Bytes offset, const Placed& p) { return offset < p.offset; });
  list.insert(at, entry);
}

// First fit among the placed buffers that conflict with `index`.
Bytes first_fit(const Problem& problem, const std::vector<Placed>& list, std::int32_t index) {
  const Buffer& b = problem.buffers[index];
  Bytes candidate = 0;
  for (const Placed& p : list) {
    if (!conflict(problem, index, p.buffer)) continue;
    if (p.offset - candidate >= b.size) break;
    candidate = std::max(candidate, align_up(p.offset + p.size, b.alignment));
  }
  return candidate;
}

Plan run_tflm(const Problem& problem, const AlgorithmContext&) {
  // CalculateOffsetsIfNeeded: offline (fixed) buffers are copied to the front in insertion order,
  // online ones are filled in from the back (so they start in reverse insertion order), then
  // the online part is bubble-sorted by size, descending; the sort is stable, so equal sizes
  // stay in reverse insertion order.
  std::vector<std::int32_t> order;
  for (std::int32_t i = 0; i < static_cast<std::int32_t>(problem.buffers.size()); ++i)
    if (problem.buffers[i].fixed_offset) order.push_back(i);
  const auto online_begin = static_cast<std::ptrdiff_t>(order.size());
  for (auto i = static_cast<std::int32_t>(problem.buffers.size()) - 1; i >= 0; --i)
    if (!problem.buffers[i].fixed_offset) order.push_back(i);
  std::stable_sort(order.begin() + online_begin, order.end(),
                   [&](std::int32_t a, std::int32_t b) { return problem.buffers[a].size > problem.buffers[b].size; });

  Plan plan;
  plan.algorithm = "tflm";
  plan.placements.assign(problem.buffers.size(), Placement{});
  std::vector<std::vector<Placed>> pools(problem.pools.size());
  for (std::int32_t index : order) {
    const Buffer& b = problem.buffers[index];
    bool placed = false;
    Bytes short_by = 0;  // in the first pool, for the message
    for (std::int32_t pool : b.pools) {
      const Bytes offset = b.fixed_offset ? *b.fixed_offset : first_fit(problem, pools[pool], index);
      const auto& limit = problem.pools[pool].limit;
      if (limit && offset + b.size > *limit && !b.fixed_offset) {
        if (pool == b.pools.front()) short_by = offset + b.size - *limit;
        continue;
      }
      plan.placements[index] = Placement{pool, offset};
      insert(pools[pool], Placed{offset, b.size, index});
      placed = true;
      break;
    }
    if (!placed)
      throw NoSolution(
          fmt::format("tflm: buffer '{}' ({} bytes) does not fit in any of its pools: pool '{}' is {} bytes "
                      "short (raise its limit, or try the algorithm `auto`, which packs tighter)",
                      b.name, b.size, problem.pools[b.pools.front()].name, short_by));
  }
  return plan;
}

}  // namespace

void register_tflm_algorithm() {
  register_algorithm({"tflm",
                      "TFLite Micro's GreedyMemoryPlanner: size-descending (stable), first fit among "
                      "time-overlapping buffers",
                      run_tflm});
}

}  // namespace arenaplan::detail
