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
// With a budget, the placement charges it and is cut when it runs out (see place_in_order).
Placed run_gap_fill(const Problem& problem, const ConflictIndex& index, Fit fit, Ordering ordering,
                    const Budget* budget = nullptr);
// The same, building the neighbour index only when the placement needs it.
Placed run_gap_fill(const Problem& problem, Fit fit, Ordering ordering, const Budget* budget = nullptr);

// The cheapest complete placement (the timeline sweep when it applies, else first fit by first
// use), never cut: what a solve returns when its budget ran out before any plan existed. Charges
// the budget's count.
Placed fastest_placement(const Problem& problem, const ConflictIndex& index, const Budget& budget);

}  // namespace arenaplan::detail
