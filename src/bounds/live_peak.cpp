// The peak of live bytes, for the lower bound, pool fitting, memory maps and reports alike.
#include <algorithm>
#include <numeric>
#include <utility>

#include "bounds/live_peak.h"

namespace arenaplan {

LivePeak live_peak(const Problem& problem, const std::vector<std::int32_t>& members,
                   const std::optional<Interval>& unranged) {
  std::vector<std::pair<Step, Bytes>> events;
  auto add = [&](const Interval& r, Bytes size) {
    if (r.last <= r.first) return;
    events.emplace_back(r.first, size);
    events.emplace_back(r.last, -size);
  };
  for (std::int32_t i : members) {
    const Buffer& b = problem.buffers[static_cast<std::size_t>(i)];
    if (b.live.empty() && unranged) add(*unranged, b.size);
    for (const Interval& r : b.live) add(r, b.size);
  }
  std::sort(events.begin(), events.end());  // at equal steps, ends (negative) before starts
  LivePeak peak;
  if (!events.empty()) peak.step = events.front().first;
  Bytes live = 0;
  for (std::size_t k = 0; k < events.size();) {
    const Step step = events[k].first;
    while (k < events.size() && events[k].first == step) live += events[k++].second;
    if (live > peak.bytes) peak = {step, live};
  }
  return peak;
}

LivePeak live_peak(const Problem& problem) {
  std::vector<std::int32_t> all(problem.buffers.size());
  std::iota(all.begin(), all.end(), 0);
  return live_peak(problem, all);
}

std::vector<Bytes> live_bytes_per_step(const Problem& problem, const std::vector<std::int32_t>& members, Step steps) {
  std::vector<Bytes> live(static_cast<std::size_t>(std::max<Step>(steps, 0)), 0);
  for (std::int32_t i : members) {
    const Buffer& b = problem.buffers[static_cast<std::size_t>(i)];
    for (const Interval& r : b.live)
      for (Step s = std::max<Step>(r.first, 0); s < std::min<Step>(r.last, steps); ++s)
        live[static_cast<std::size_t>(s)] += b.size;
  }
  return live;
}

std::vector<std::int32_t> buffers_in_pool(const Plan& plan, std::int32_t pool) {
  std::vector<std::int32_t> members;
  for (std::size_t i = 0; i < plan.placements.size(); ++i)
    if (plan.placements[i].pool == pool) members.push_back(static_cast<std::int32_t>(i));
  return members;
}

}  // namespace arenaplan
