#include "algorithms/exact_instance.h"

#include <algorithm>
#include <numeric>

namespace arenaplan::exact {

void Instance::finish() {
  item_cliques.assign(items.size(), {});
  for (Item& item : items) item.total = 0;
  for (std::size_t s = 0; s < cliques.size(); ++s) {
    Bytes sum = 0;
    for (std::int32_t i : cliques[s]) sum += items[i].size;
    for (std::int32_t i : cliques[s]) {
      item_cliques[i].push_back(static_cast<std::int32_t>(s));
      items[i].total = std::max(items[i].total, sum);
    }
  }
  // An item in no clique gets its own.
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!item_cliques[i].empty()) continue;
    item_cliques[i].push_back(static_cast<std::int32_t>(cliques.size()));
    cliques.push_back({static_cast<std::int32_t>(i)});
    items[i].total = items[i].size;
  }
}

Bytes Instance::lower_bound() const {
  Bytes bound = 0;
  for (const auto& clique : cliques) {
    Bytes sum = 0;
    for (std::int32_t i : clique) sum += items[i].size;
    bound = std::max(bound, sum);
  }
  for (const Item& item : items) {
    if (item.fixed != kNoFixedOffset) bound = std::max(bound, item.fixed + item.size);
  }
  return bound;
}

std::vector<std::vector<std::int32_t>> split_components(const Problem& problem,
                                                        const std::vector<std::int32_t>& members) {
  const std::size_t n = members.size();
  std::vector<std::size_t> parent(n);
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  auto find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  auto unite = [&](std::size_t a, std::size_t b) { parent[find(a)] = find(b); };
  std::vector<std::int32_t> local(problem.buffers.size(), -1);
  for (std::size_t i = 0; i < n; ++i) local[members[i]] = static_cast<std::int32_t>(i);
  // Explicit conflicts.
  for (std::size_t i = 0; i < n; ++i) {
    for (std::int32_t other : problem.buffers[members[i]].conflicts) {
      if (local[other] >= 0) unite(i, static_cast<std::size_t>(local[other]));
    }
  }
  // Live ranges: sweep; everything live at one time is connected.
  struct Event {
    Step time;
    int kind;  // 0 = end, 1 = start
    std::size_t item;
  };
  std::vector<Event> events;
  for (std::size_t i = 0; i < n; ++i) {
    for (const Interval& range : problem.buffers[members[i]].live) {
      if (range.last <= range.first) continue;
      events.push_back({range.first, 1, i});
      events.push_back({range.last, 0, i});
    }
  }
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return a.time != b.time ? a.time < b.time : a.kind < b.kind; });
  std::int64_t active = 0;
  std::size_t anchor = 0;
  for (const Event& event : events) {
    if (event.kind == 0) {
      --active;
      continue;
    }
    if (active > 0) unite(event.item, anchor);
    anchor = event.item;
    ++active;
  }
  std::vector<std::vector<std::int32_t>> groups;
  std::vector<std::int64_t> group_of(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t root = find(i);
    if (group_of[root] < 0) {
      group_of[root] = static_cast<std::int64_t>(groups.size());
      groups.emplace_back();
    }
    groups[static_cast<std::size_t>(group_of[root])].push_back(members[i]);
  }
  return groups;
}

}  // namespace arenaplan::exact
