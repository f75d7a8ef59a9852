// The `exact` algorithm: branch and bound with a proof of optimality (minimise mode, when no
// pool has a limit) or of infeasibility (capacity mode, when a pool has one).
#pragma once

#include "arenaplan/algorithm.h"
#include "arenaplan/plan.h"
#include "arenaplan/problem.h"

namespace arenaplan::exact {

// Exact search from `incumbent` (a complete valid plan; its pool assignment is kept): every
// workspace pool is minimised within its limit until the context's budget runs out. Never worse than
// the incumbent and never throws for lack of time or for parts beyond the exact search (they keep
// the incumbent's offsets). Plan::optimal is set only when proven.
Plan improve(const Problem& problem, const AlgorithmContext& context, const Plan& incumbent);

// The registered algorithm: capacity mode for pools with a limit (throws NoSolution when proven
// infeasible or out of time), minimise mode for the others.
Plan solve_exact(const Problem& problem, const AlgorithmContext& context);

}  // namespace arenaplan::exact
