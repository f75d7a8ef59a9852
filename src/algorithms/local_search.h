// A budgeted, seeded local search over the placement order of the gap-filling placement.
#pragma once

#include <cstdint>
#include <vector>

#include "algorithms/gap_fill.h"
#include "arenaplan/algorithm.h"

namespace arenaplan::detail {

struct SearchResult {
  Placed placed;
  std::vector<std::int32_t> order;
  std::int64_t evaluations = 0;
};

// Starting from `order`, repeatedly moves a buffer that sets a pool's size to just before one of
// its conflicts placed earlier, keeps changes that are no worse, and stops at the lower bound,
// the end of the budget, or after `max_evaluations` placements. Deterministic for a given seed
// unless the budget ends on its wall-clock deadline.
SearchResult local_search(const Problem& problem, const ConflictIndex& index, std::vector<std::int32_t> order, Fit fit,
                          const AlgorithmContext& context, std::int64_t max_evaluations);

}  // namespace arenaplan::detail
