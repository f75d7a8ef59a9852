// The gap-filling algorithms as a family: every fit with every ordering.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
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

// Work units to sort an order of every buffer, to build the neighbour index if it is needed, and
// for the orders by degree to list every buffer's neighbours (10 n log n: 2 s of 200,000 intervals).
std::int64_t sorting_work(const Problem& problem, bool with_index, bool degrees = false);

// The neighbour index, built on first use: the first placement of an interval problem (the
// sweep) needs none, and on a large problem it is a tenth of a second that a tight limit cannot spare.
class LazyConflictIndex {
 public:
  explicit LazyConflictIndex(const Problem& problem) : problem_(problem) {}
  const ConflictIndex& get() {
    if (!index_) index_.emplace(problem_);
    return *index_;
  }
  bool built() const { return index_.has_value(); }

 private:
  const Problem& problem_;
  std::optional<ConflictIndex> index_;
};

// Which placements the best-gap-fill loop tries, and how it judges the budget: `exact`'s starting
// plan and `auto`'s first phase (portfolio.cpp) differ only in these.
struct GapFillRules {
  static constexpr std::size_t kAny = std::numeric_limits<std::size_t>::max();
  // Orderings other than size and first use only up to this many buffers.
  std::size_t other_orders_up_to = kAny;
  // Orderings that need every neighbour list (conflicts; area with explicit conflicts) only up to this many.
  std::size_t degree_orders_up_to = kAny;
  // Above this many buffers the timeline sweep (first use) goes first: the fastest placement, so
  // that a tight time limit still gets a plan quickly.
  std::size_t sweep_first_above = kAny;
  // Stop when the budget cannot afford another placement like the last (once one fits), and at
  // the end of the best-fit orders when it is exhausted; else only a cut placement stops the loop.
  bool judge_budget = false;
  // Sorting an order (and building the index) cannot be cut: charge it, and after the first
  // placement start an order only when the budget can afford its sorting.
  bool charge_sorting = false;
  // Once a placement fits, place this many orders at once with `place_batch` (one per thread).
  std::size_t side_by_side = 1;
};

// Places `tries` side by side (place_side_by_side with the caller's context); returns the work charged.
using PlaceBatch = std::function<std::int64_t(std::vector<GapFillTry>&)>;

// The loop: best fit then first fit, each with every ordering the rules allow. The first
// placement is never cut (a solve returns a plan); the later ones are cut when the budget runs
// out, which ends the loop. `visit` sees every complete placement, in order, and returns true to
// stop (say, the plan meets the lower bound). Returns the work of the last placement (a sweep's
// times ten): the guess of what a placement with neighbour queries costs.
std::int64_t for_each_gap_fill(const Problem& problem, LazyConflictIndex& index, const Budget& budget,
                               const GapFillRules& rules, const std::function<bool(GapFillTry&)>& visit,
                               const PlaceBatch& place_batch = {});

}  // namespace arenaplan::detail
