// The short text report of a solved problem: pools and sizes, lower bound and ratio, optimality.
#pragma once

#include <string>
#include <vector>

#include "arenaplan/plan.h"
#include "arenaplan/problem.h"

namespace arenaplan::cli {

// "algorithm NAME, search ended by REASON (N work units)[, S s]": the last line of every report.
std::string algorithm_line(const Plan& plan, bool timing);

// Each warning as one line "arenaplan: warning: ..." on stderr, its bytes made printable.
void print_warnings(const std::vector<std::string>& warnings);

std::string solve_report(const std::string& source, const Problem& problem, const Plan& plan, bool timing);

}  // namespace arenaplan::cli
