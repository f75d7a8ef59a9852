// The gap-filling algorithms as a family: every fit with every ordering.
#pragma once

#include <array>
#include <string>

#include "algorithms/gap_fill.h"
#include "algorithms/orderings.h"

namespace arenaplan::detail {

inline constexpr std::array<Ordering, 4> kAllOrderings{Ordering::size, Ordering::first_use, Ordering::conflicts,
                                                       Ordering::area};

std::string gap_fill_name(Fit fit, Ordering ordering);

// Orders the buffers and places them (by sweeping the timeline where that gives the same result).
Placed run_gap_fill(const Problem& problem, const ConflictIndex& index, Fit fit, Ordering ordering);
// The same, building the neighbour index only when the placement needs it.
Placed run_gap_fill(const Problem& problem, Fit fit, Ordering ordering);

}  // namespace arenaplan::detail
