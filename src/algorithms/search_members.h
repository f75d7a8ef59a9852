// The portfolio's local searches as independent members, one per thread: each has its own seed,
// start order and fixed work budget, so the result for a given --threads does not depend on timing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "algorithms/local_search.h"
#include "algorithms/window_search.h"

namespace arenaplan::detail {

struct SearchStart {  // a gap-filling plan a search may begin from
  Bytes total;
  std::vector<std::int32_t> order;
  Fit fit;
  std::string name;
};

struct SearchMember {
  std::string name;  // Plan::algorithm of its plan
  std::vector<std::int32_t> order;
  Fit fit;
  std::uint64_t seed;
};

// One member per thread. Member 0 searches from the best plan's order (`fallback` when there is
// none) with the solve's seed, as the single search did; member i > 0 from the i-th best start
// (round robin) with seed + i.
std::vector<SearchMember> search_members(const SolveOptions& options, const std::vector<SearchStart>& starts,
                                         const std::vector<std::int32_t>* best_order, Fit best_fit,
                                         const std::vector<std::int32_t>& fallback);

// Runs the members in parallel, each with budget.work_left() units of its own; charges `budget`
// the most any member used (they ran side by side). Results are by member index.
std::vector<SearchResult> run_searches(const Problem& problem, const ConflictIndex& index,
                                       const AlgorithmContext& context, const Budget& budget,
                                       const std::vector<SearchMember>& members);

// Window searches (window_search.h) from `start`, one per thread: member i with seed + i, named
// "window_search" (i = 0) or "window_search[seed N]". Budgets as run_searches'; results by index.
std::vector<WindowResult> run_window_searches(const Problem& problem, const ConflictIndex& index,
                                              const AlgorithmContext& context, const Budget& budget, const Plan& start,
                                              std::vector<std::string>& names);

}  // namespace arenaplan::detail
