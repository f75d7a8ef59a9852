// Gap-filling placement: buffers are placed one at a time, in a given order, at the lowest
// (first fit) or tightest (best fit) aligned gap left by the conflicting buffers already placed,
// trying candidate pools in priority order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arenaplan/budget.h"
#include "arenaplan/plan.h"
#include "problem/align.h"
#include "problem/conflict_index.h"

namespace arenaplan::detail {

enum class Fit { first, best };

struct Overflow {
  std::int32_t buffer;
  std::int32_t pool;  // the buffer's first candidate pool
  Bytes excess;       // bytes beyond that pool's limit at the lowest position it could take
};

struct Placed {
  Plan plan;                       // placements and pool sizes; over-limit buffers sit past the limit
  std::vector<Overflow> overflow;  // empty when every buffer fits
  bool cut = false;                // the budget ran out before every buffer was placed: not a plan
  bool fits() const { return overflow.empty() && !cut; }
};

// A placed neighbour's bytes [begin, end) in a gap search.
struct Segment {
  Bytes begin;
  Bytes end;
  std::int32_t buffer = -1;
};

// Lowest (first fit) or tightest (best fit) aligned offset for `size` bytes among `occupied`
// (sorted by begin); above every segment when no gap within `limit` holds it.
Bytes find_gap(const std::vector<Segment>& occupied, Bytes size, Bytes alignment, Bytes limit, Fit fit);

// Places every buffer; pre-placed buffers go first, then `order` (a permutation of the others;
// pre-placed ones in it are skipped). With a budget, charges its work (a unit per buffer and per
// neighbour looked at) and stops, cut, when the budget runs out.
Placed place_in_order(const Problem& problem, const ConflictIndex& index, const std::vector<std::int32_t>& order,
                      Fit fit, const Budget* budget = nullptr);

// Same result as place_in_order for problems of single live ranges ordered by first use, in
// O(n log n + n * live) by sweeping the timeline. Use when sweep_applies(problem).
bool sweep_applies(const Problem& problem);
Placed place_by_sweep(const Problem& problem, const std::vector<std::int32_t>& order, Fit fit,
                      const Budget* budget = nullptr);

// The NoSolution message for a placement that did not fit.
std::string describe_overflow(const Problem& problem, const Placed& placed);

using arenaplan::align_up;  // problem/align.h

}  // namespace arenaplan::detail
