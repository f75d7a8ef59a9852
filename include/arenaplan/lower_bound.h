// Lower bounds on the memory any valid plan needs.
#pragma once

#include <cstdint>
#include <vector>

#include "arenaplan/budget.h"
#include "arenaplan/plan.h"
#include "arenaplan/problem.h"

namespace arenaplan {

// overlap_aware: a pair with an overlap allowance (docs/overlap.md) counts as the bytes it needs
// at least together, max(|X| + d, |Y|), at the step where X dies into Y. whole_tensor: every
// allowance is taken as a plain conflict (each tensor held whole from first write to last read).
// Without allowances the two are equal.
enum class BoundKind { overlap_aware, whole_tensor };

// A bound on the total size of all pools: the heaviest set of buffers that pairwise conflict
// (for live ranges, the largest total live at one step; for explicit conflicts, a heavy clique).
// The greedy clique search on large conflict graphs does a fixed amount of work, or what `budget`
// allows (a cut search still gives a valid bound).
Bytes lower_bound(const Problem& problem, BoundKind kind = BoundKind::overlap_aware);
Bytes lower_bound(const Problem& problem, const Budget& budget, BoundKind kind = BoundKind::overlap_aware);

// The same bound per pool, for the buffers a plan assigned to each pool.
std::vector<Bytes> pool_lower_bounds(const Problem& problem, const Plan& plan,
                                     BoundKind kind = BoundKind::overlap_aware);

// The bound for `members` (buffer indices) as if they were alone in one pool.
Bytes members_lower_bound(const Problem& problem, const std::vector<std::int32_t>& members,
                          BoundKind kind = BoundKind::overlap_aware);

}  // namespace arenaplan
