// Instances for timeline problems: cliques are the sections of the timeline.
#include <algorithm>

#include "algorithms/exact_instance.h"
#include "algorithms/exact_internal.h"

namespace arenaplan::exact {

void add_live_structure(const Problem& problem, const std::vector<std::int32_t>& members, Instance& instance) {
  struct Event {
    Step time;
    int kind;  // 0 = end, 1 = start
    std::int32_t item;
  };
  std::vector<Event> events;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const Buffer& buffer = problem.buffers[members[i]];
    for (const Interval& range : buffer.live) {
      if (range.last <= range.first) continue;
      events.push_back({range.first, 1, static_cast<std::int32_t>(i)});
      events.push_back({range.last, 0, static_cast<std::int32_t>(i)});
      instance.items[i].width += range.last - range.first;
    }
    if (!buffer.live.empty()) instance.items[i].first = buffer.live.front().first;
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.item < b.item;
  });
  // Active multiset (an item may have touching ranges); members are kept sorted.
  std::vector<std::int32_t> live_count(members.size(), 0);
  std::vector<std::int32_t> active;
  std::vector<std::pair<std::int32_t, std::int32_t>> pairs;
  std::size_t e = 0;
  std::vector<std::int32_t> last_section;
  while (e < events.size()) {
    const Step now = events[e].time;
    for (; e < events.size() && events[e].time == now; ++e) {
      const Event& event = events[e];
      if (event.kind == 0) {
        if (--live_count[event.item] == 0) active.erase(std::find(active.begin(), active.end(), event.item));
      } else {
        if (live_count[event.item]++ == 0) {
          for (std::int32_t other : active)
            pairs.emplace_back(std::min(other, event.item), std::max(other, event.item));
          active.push_back(event.item);
        }
      }
    }
    if (active.empty()) continue;
    std::vector<std::int32_t> section = active;
    std::sort(section.begin(), section.end());
    if (section == last_section) continue;
    last_section = section;
    instance.cliques.push_back(std::move(section));
  }
  // Items starting at the same time as others: pairs were recorded against the active ones.
  for (const auto& [a, b] : pairs) {
    instance.neighbours[a].push_back(b);
    instance.neighbours[b].push_back(a);
  }
  for (auto& list : instance.neighbours) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
}

Instance make_items(const Problem& problem, const std::vector<std::int32_t>& members) {
  Instance instance;
  instance.items.resize(members.size());
  instance.neighbours.resize(members.size());
  for (std::size_t i = 0; i < members.size(); ++i) {
    const Buffer& buffer = problem.buffers[members[i]];
    Item& item = instance.items[i];
    item.size = buffer.size;
    item.alignment = std::max<Bytes>(1, buffer.alignment);
    item.fixed = buffer.fixed_offset ? *buffer.fixed_offset : kNoFixedOffset;
  }
  return instance;
}

Instance build_interval_instance(const Problem& problem, const std::vector<std::int32_t>& members) {
  Instance instance = make_items(problem, members);
  add_live_structure(problem, members, instance);
  instance.finish();
  instance.timeline = true;
  return instance;
}

}  // namespace arenaplan::exact
