// `tflm`: TensorFlow Lite Micro's GreedyMemoryPlanner (memory_planner/greedy_memory_planner.cc)
// on a Problem. Pre-placed (offline) buffers first, in order, at their offsets; then the others
// by size, descending, with a stable sort (ties keep problem order); each is placed first-fit:
// walk the already-placed buffers that conflict with it in offset order and take the first gap
// that is large enough, else go after the last of them.
#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "algorithms/builtins.h"
#include "arenaplan/algorithm.h"
#include "arenaplan/error.h"

namespace arenaplan::detail {
namespace {

struct Placed {
  Bytes offset;
  Bytes size;
  std::int32_t buffer;
};

Bytes align_up(Bytes value, Bytes alignment) { return (value + alignment - 1) / alignment * alignment; }

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
  const auto n = static_cast<std::int32_t>(problem.buffers.size());
  std::vector<std::int32_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  // Offline (fixed) buffers first in insertion order, then online ones by size, descending, stable.
  std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    const Buffer& x = problem.buffers[a];
    const Buffer& y = problem.buffers[b];
    if (x.fixed_offset.has_value() != y.fixed_offset.has_value()) return x.fixed_offset.has_value();
    if (x.fixed_offset.has_value()) return false;
    return x.size > y.size;
  });

  Plan plan;
  plan.algorithm = "tflm";
  plan.placements.assign(problem.buffers.size(), Placement{});
  std::vector<std::vector<Placed>> pools(problem.pools.size());
  for (std::int32_t index : order) {
    const Buffer& b = problem.buffers[index];
    bool placed = false;
    for (std::int32_t pool : b.pools) {
      const Bytes offset = b.fixed_offset ? *b.fixed_offset : first_fit(problem, pools[pool], index);
      const auto& limit = problem.pools[pool].limit;
      if (limit && offset + b.size > *limit && !b.fixed_offset) continue;
      plan.placements[index] = Placement{pool, offset};
      insert(pools[pool], Placed{offset, b.size, index});
      placed = true;
      break;
    }
    if (!placed)
      throw NoSolution(fmt::format("tflm: buffer '{}' ({} bytes) does not fit in any of its pools", b.name, b.size));
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
