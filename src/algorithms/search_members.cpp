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
  std::vector<std::uint64_t> seeds;
  for (const SearchMember& m : members) seeds.push_back(m.seed);
  std::vector<SearchResult> results(members.size());
  run_forked(context, budget, seeds, [&](std::size_t i, const AlgorithmContext& member) {
    results[i] = local_search(problem, index, members[i].order, members[i].fit, member, kMaxEvaluations);
  });
  return results;
}

std::vector<WindowResult> run_window_searches(const Problem& problem, const ConflictIndex& index,
                                              const AlgorithmContext& context, const Budget& budget, const Plan& start,
                                              std::vector<std::string>& names) {
  std::vector<std::uint64_t> seeds;
  names.clear();
  for (unsigned i = 0; i < member_threads(context.options); ++i) {
    seeds.push_back(context.options.seed + i);
    names.push_back(i == 0 ? std::string("window_search") : fmt::format("window_search[seed {}]", seeds.back()));
  }
  std::vector<WindowResult> results(seeds.size());
  run_forked(context, budget, seeds, [&](std::size_t i, const AlgorithmContext& member) {
    results[i] = window_search(problem, index, start, member);
  });
  return results;
}

}  // namespace arenaplan::detail
