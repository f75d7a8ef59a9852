// Gap-filling placements with several orders at once, one per thread: on large problems a
// placement costs a large part of the budget, and the second core places another order.
#pragma once

#include <cstdint>
#include <vector>

#include "algorithms/gap_fill.h"
#include "algorithms/orderings.h"
#include "arenaplan/algorithm.h"

namespace arenaplan::detail {

struct GapFillTry {
  Fit fit;
  Ordering ordering;
  std::vector<std::int32_t> order;  // set by place_side_by_side
  Placed placed;                    // cut when its budget ran out
};

// Places every try on its own thread, each with budget.work_left() units of its own (the timeline
// sweep where it applies); charges `budget` the most any used and returns that. Results do not
// depend on timing for a work budget.
std::int64_t place_side_by_side(const Problem& problem, const ConflictIndex& index, const AlgorithmContext& context,
                                const Budget& budget, std::vector<GapFillTry>& tries);

}  // namespace arenaplan::detail
