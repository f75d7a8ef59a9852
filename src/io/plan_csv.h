// A plan as MiniMalloc writes it: the input CSV's columns plus `offset`.
#pragma once

#include <string>

#include "arenaplan/plan.h"
#include "arenaplan/problem.h"

namespace arenaplan {

// id,lower,upper,size[,alignment],offset: one line per buffer, in problem order (alignment when
// some buffer has one above 1). Throws InputError (naming `target`) when the problem is not one
// MiniMalloc's format holds: one pool, one live range per buffer.
std::string plan_csv(const Problem& problem, const Plan& plan, const std::string& target);

}  // namespace arenaplan
