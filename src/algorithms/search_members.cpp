#include "algorithms/search_members.h"

#include <algorithm>

#include <fmt/format.h>

#include "algorithms/run_members.h"

namespace arenaplan::detail {

constexpr std::int64_t kMaxEvaluations = 100000;

std::vector<SearchMember> search_members(const SolveOptions& options, const std::vector<SearchStart>& starts,
                                         const std::vector<std::int32_t>* best_order, Fit best_fit,
                                         const std::vector<std::int32_t>& fallback) {
  const unsigned count = member_threads(options);
  std::vector<const SearchStart*> ranked;  // by (total, position): the same on every run
  for (const SearchStart& s : starts) ranked.push_back(&s);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const SearchStart* a, const SearchStart* b) { return a->total < b->total; });
  const bool from_best = best_order != nullptr && !best_order->empty();
  std::vector<SearchMember> members;
  members.push_back(
      {"local_search", from_best ? *best_order : fallback, from_best ? best_fit : Fit::best, options.seed});
  for (unsigned i = 1; i < count; ++i) {
    const std::uint64_t seed = options.seed + i;
    if (ranked.empty()) {
      members.push_back({fmt::format("local_search[seed {}]", seed), members.front().order, members.front().fit, seed});
      continue;
    }
    const SearchStart& s = *ranked[i % ranked.size()];
    members.push_back({fmt::format("local_search[seed {}, from {}]", seed, s.name), s.order, s.fit, seed});
  }
  return members;
}

std::vector<SearchResult> run_searches(const Problem& problem, const ConflictIndex& index,
                                       const AlgorithmContext& context, const Budget& budget,
                                       const std::vector<SearchMember>& members) {
  const std::int64_t work = budget.work_left();
  std::vector<Budget> budgets;
  std::vector<SolveOptions> options(members.size(), context.options);
  for (std::size_t i = 0; i < members.size(); ++i) {
    budgets.push_back(budget.fork(work));
    options[i].seed = members[i].seed;
    // Progress goes to the caller from the solving thread only (after the members end).
    if (members.size() > 1) options[i].on_progress = nullptr;
  }
  std::vector<SearchResult> results(members.size());
  run_members(members.size(), static_cast<unsigned>(members.size()), [&](std::size_t i) {
    const AlgorithmContext member{options[i], context.lower_bound, budgets[i], context.start};
    results[i] = local_search(problem, index, members[i].order, members[i].fit, member, kMaxEvaluations);
  });
  std::int64_t most = 0;
  for (const Budget& b : budgets) most = std::max(most, b.work_done());
  for (const Budget& b : budgets) budget.join(b, 0);
  budget.charge(most);
  return results;
}

}  // namespace arenaplan::detail
