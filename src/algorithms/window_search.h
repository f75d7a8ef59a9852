// Local search for large problems: instead of re-placing every buffer for each candidate order,
// a move takes the buffers around a pool's peak (the top buffer and the buffers overlapping it in
// time and in address), re-places them against the fixed rest, and keeps the result unless the
// peak grows. A move costs in proportion to that neighbourhood, not to the problem.
#pragma once

#include <cstdint>

#include "arenaplan/algorithm.h"
#include "arenaplan/plan.h"
#include "problem/conflict_index.h"

namespace arenaplan::detail {

struct WindowResult {
  Plan plan;
  std::int64_t moves = 0;     // neighbourhoods re-placed
  std::int64_t improved = 0;  // moves that lowered the total
};

// The search finds neighbours by time: every buffer with a size has live ranges, and none has
// explicit conflicts.
bool window_search_applies(const Problem& problem);

// Improves `start` (a valid plan: no overlap, within the limits): buffers stay in their pools,
// pre-placed ones stay put. Stops at the lower bound, when the budget ends (polled after every
// move), or when no pool's top buffer can move. Deterministic for a seed and a work budget; the
// plan is always valid and never larger than `start`.
WindowResult window_search(const Problem& problem, const ConflictIndex& index, const Plan& start,
                           const AlgorithmContext& context);

}  // namespace arenaplan::detail
