// Internals of pool assignment: candidate pools per buffer, and fitting buffers into one pool.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "arenaplan/algorithm.h"
#include "arenaplan/graph.h"
#include "arenaplan/lowering.h"
#include "arenaplan/pool_assignment.h"

namespace arenaplan::pools {

struct Candidates {
  std::vector<PoolSpec> pools;                   // user pools in priority order, then defaults
  std::vector<std::vector<std::int32_t>> lists;  // per buffer, in priority order
  std::vector<std::string> rule;                 // per buffer: the --place rule that chose its pool, or ""
  std::vector<std::string> warnings;
};

// Throws InputError when a rule names an unknown or unsuitable pool, or a kind has no pool.
Candidates make_candidates(const Graph& graph, const LoweredModel& lowered, const PoolSetup& setup);

// The buffers `members` of `problem`, alone in pool `pool` (with or without its limit).
Problem sub_problem(const Problem& problem, std::int32_t pool, const std::vector<std::int32_t>& members, bool limited);

// A plan of `sub` within its limit by one of a few fast algorithms, or nothing.
std::optional<Plan> quick_fit(const Problem& sub);

// Assigns every buffer one pool (greedy by density, see pool_assignment.h). Throws NoSolution
// when the buffers that can go nowhere else overflow a pool.
std::vector<std::int32_t> assign_pools(const Problem& problem, const Candidates& candidates,
                                       std::vector<BufferChoice>& choices, const SolveOptions& solving);

}  // namespace arenaplan::pools
