// Instances for general conflict graphs (explicit conflict lists, with or without live ranges):
// cliques are the timeline sections plus one greedy maximal clique per item.
#include <algorithm>
#include <set>

#include "algorithms/exact_instance.h"
#include "algorithms/exact_internal.h"

namespace arenaplan::exact {

Instance build_conflict_instance(const Problem& problem, const std::vector<std::int32_t>& members) {
  Instance instance = make_items(problem, members);
  add_live_structure(problem, members, instance);
  const std::size_t n = members.size();
  std::vector<std::int32_t> local(problem.buffers.size(), -1);
  for (std::size_t i = 0; i < n; ++i) local[members[i]] = static_cast<std::int32_t>(i);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::int32_t other : problem.buffers[members[i]].conflicts) {
      if (local[other] >= 0) instance.neighbours[i].push_back(local[other]);
    }
  }
  std::vector<std::vector<bool>> adjacent(n, std::vector<bool>(n, false));
  for (std::size_t i = 0; i < n; ++i) {
    auto& list = instance.neighbours[i];
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    for (std::int32_t j : list) adjacent[i][j] = adjacent[j][i] = true;
  }
  for (std::size_t i = 0; i < n; ++i) {
    instance.items[i].width =
        std::max<std::int64_t>(instance.items[i].width, static_cast<std::int64_t>(instance.neighbours[i].size()));
  }
  // One greedy maximal clique per item: heaviest neighbours first.
  std::set<std::vector<std::int32_t>> seen(instance.cliques.begin(), instance.cliques.end());
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::int32_t> order = instance.neighbours[i];
    std::stable_sort(order.begin(), order.end(),
                     [&](std::int32_t a, std::int32_t b) { return instance.items[a].size > instance.items[b].size; });
    std::vector<std::int32_t> clique{static_cast<std::int32_t>(i)};
    for (std::int32_t candidate : order) {
      if (std::all_of(clique.begin(), clique.end(), [&](std::int32_t m) { return adjacent[candidate][m]; })) {
        clique.push_back(candidate);
      }
    }
    std::sort(clique.begin(), clique.end());
    if (seen.insert(clique).second) instance.cliques.push_back(std::move(clique));
  }
  instance.finish();
  return instance;
}

}  // namespace arenaplan::exact
