// The Plan: where every buffer of a Problem went.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arenaplan/problem.h"

namespace arenaplan {

struct Placement {
  std::int32_t pool = -1;  // index into Problem::pools
  Bytes offset = 0;
};

struct Plan {
  std::string algorithm;
  std::vector<Placement> placements;  // one per buffer, same order as Problem::buffers
  std::vector<Bytes> pool_sizes;      // one per pool: highest end of a buffer placed in it
  Bytes lower_bound = 0;              // sum over pools of the largest total live at one step, overlap-aware
  Bytes whole_tensor_bound = 0;       // the same with every overlap allowance taken as a plain conflict
  bool optimal = false;               // proven optimal (lower bound met, or search exhausted)
  double solve_seconds = 0.0;

  Bytes total_size() const;
};

// Recomputes pool_sizes from the placements.
void compute_pool_sizes(const Problem& problem, Plan& plan);

}  // namespace arenaplan
