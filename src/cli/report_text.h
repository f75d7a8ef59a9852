// The short text report of a solved problem: pools and sizes, lower bound and ratio, optimality.
#pragma once

#include <string>

#include "arenaplan/plan.h"
#include "arenaplan/problem.h"

namespace arenaplan::cli {

// "algorithm NAME, search ended by REASON (N work units)[, S s]": the last line of every report.
std::string algorithm_line(const Plan& plan, bool timing);

std::string solve_report(const std::string& source, const Problem& problem, const Plan& plan, bool timing);

}  // namespace arenaplan::cli
