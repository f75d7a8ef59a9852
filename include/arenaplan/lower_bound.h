// Lower bounds on the memory any valid plan needs.
#pragma once

#include <vector>

#include "arenaplan/budget.h"
#include "arenaplan/plan.h"
#include "arenaplan/problem.h"

namespace arenaplan {

// A bound on the total size of all pools: the heaviest set of buffers that pairwise conflict
// (for live ranges, the largest total live at one step; for explicit conflicts, a heavy clique).
// The greedy clique search on large conflict graphs does a fixed amount of work, or what `budget`
// allows (a cut search still gives a valid bound).
Bytes lower_bound(const Problem& problem);
Bytes lower_bound(const Problem& problem, const Budget& budget);

// The same bound per pool, for the buffers a plan assigned to each pool.
std::vector<Bytes> pool_lower_bounds(const Problem& problem, const Plan& plan);

}  // namespace arenaplan
