// The gap-filling algorithms as a family: every fit with every ordering.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "algorithms/gap_fill.h"
#include "algorithms/orderings.h"
#include "algorithms/side_by_side.h"  // GapFillTry

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

// Which placements a best-gap-fill loop tries, and when it gives up on the budget. Used by
// `exact`'s starting plan; `auto`'s first phase (portfolio.cpp) has its own loop again since it
// places orders side by side and judges the cost of sorting (the largels merge).
struct GapFillRules {
  static constexpr std::size_t kAny = std::numeric_limits<std::size_t>::max();
  // Orderings other than size and first use only up to this many buffers.
  std::size_t other_orders_up_to = kAny;
  // Orderings that need every neighbour list (conflicts; area with explicit conflicts) only up to this many.
  std::size_t degree_orders_up_to = kAny;
  // Above this many buffers the timeline sweep (first use) goes first: the fastest placement, so
  // that a tight time limit still gets a plan quickly.
  std::size_t sweep_first_above = kAny;
  // Stop when the budget cannot afford another placement like the last (once one fits), and between
  // the fits when it is exhausted; else only a cut placement stops the loop.
  bool judge_budget = false;
};

// The loop: best fit then first fit, each with every ordering the rules allow. The first
// placement is never cut (a solve returns a plan); the later ones are cut when the budget runs
// out, which ends the loop. `visit` sees every complete placement, in order, and returns true to
// stop (say, the plan meets the lower bound). Returns the work of the last placement (a sweep's
// times ten): the guess of what a placement with neighbour queries costs.
std::int64_t for_each_gap_fill(const Problem& problem, const ConflictIndex& index, const Budget& budget,
                               const GapFillRules& rules, const std::function<bool(GapFillTry&)>& visit);

}  // namespace arenaplan::detail
