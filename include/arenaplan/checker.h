// The independent checker: deliberately simple code that re-verifies a Plan against its Problem.
#pragma once

#include <optional>
#include <string>

#include "arenaplan/plan.h"
#include "arenaplan/problem.h"

namespace arenaplan {

// Returns the first violation found, or nothing when the plan is valid: every buffer placed
// once, in one of its candidate pools, aligned, within the pool's limit, pre-placed buffers at
// their offsets, writable buffers only in writable pools, pool sizes covering their buffers, and
// no two conflicting buffers overlapping in one pool unless an overlap allowance permits it
// (offset(Y) <= offset(X) - distance).
std::optional<std::string> check_plan(const Problem& problem, const Plan& plan);

}  // namespace arenaplan
