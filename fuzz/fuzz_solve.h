// What the problem-reader harnesses do with a problem that was read: normalise it, bound it,
// solve it with a fast algorithm when small (solve() runs the checker; a failed check aborts).
#pragma once

#include "arenaplan/algorithm.h"
#include "arenaplan/error.h"
#include "arenaplan/limits.h"
#include "arenaplan/lower_bound.h"

namespace arenaplan::fuzz {

inline void normalise_and_solve(Problem& problem) {
  normalise(problem, "fuzz");
  if (problem.buffers.size() > 2000) return;
  (void)lower_bound(problem);
  for (const char* algorithm : {"best_fit_by_size", "greedy_by_size"}) {
    SolveOptions options;
    options.algorithm = algorithm;
    options.time_limit_seconds = 0.01;
    try {
      (void)solve(problem, options);
    } catch (const NoSolution&) {}
  }
}

}  // namespace arenaplan::fuzz
