// The independent checker. It shares no code with the algorithms: it reads the Problem and the
// Plan and re-derives every constraint from scratch, as plainly as possible. Overlap allowances
// (docs/overlap.md) are tested from their definition: offset(Y) <= offset(X) - distance.
#include "arenaplan/checker.h"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

namespace arenaplan {
namespace {

constexpr Bytes kMaxEnd = Bytes{1} << 62;

std::optional<std::string> check_buffer(const Problem& problem, const Plan& plan, std::size_t i) {
  const Buffer& b = problem.buffers[i];
  const Placement& p = plan.placements[i];
  const auto pool_count = static_cast<std::int32_t>(problem.pools.size());
  if (p.pool < 0 || p.pool >= pool_count) return fmt::format("buffer '{}' is not placed in any pool", b.name);
  const Pool& pool = problem.pools[p.pool];
  if (std::find(b.pools.begin(), b.pools.end(), p.pool) == b.pools.end())
    return fmt::format("buffer '{}' is in pool '{}', which is not one of its candidate pools", b.name, pool.name);
  if (p.offset < 0 || p.offset > kMaxEnd)
    return fmt::format("buffer '{}' has offset {}, out of range", b.name, p.offset);
  if (p.offset % b.alignment != 0)
    return fmt::format("buffer '{}' at offset {} is not aligned to {}", b.name, p.offset, b.alignment);
  const Bytes end = p.offset + b.size;
  if (pool.limit && end > *pool.limit)
    return fmt::format("buffer '{}' ends at {}, beyond the {}-byte limit of pool '{}'", b.name, end, *pool.limit,
                       pool.name);
  if (b.fixed_offset && (p.offset != *b.fixed_offset || p.pool != b.pools.front()))
    return fmt::format("pre-placed buffer '{}' must be at offset {} in pool '{}'", b.name, *b.fixed_offset,
                       problem.pools[b.pools.front()].name);
  if (pool.read_only() && b.kind != BufferKind::constant)
    return fmt::format("{} buffer '{}' is in read-only pool '{}'", to_string(b.kind), b.name, pool.name);
  if (plan.pool_sizes.size() == problem.pools.size() && plan.pool_sizes[p.pool] < end)
    return fmt::format("pool '{}' is reported as {} bytes but buffer '{}' ends at {}", pool.name,
                       plan.pool_sizes[p.pool], b.name, end);
  return std::nullopt;
}

std::string overlap_message(const Problem& problem, const Plan& plan, std::size_t a, std::size_t b) {
  const Placement& pa = plan.placements[a];
  const Placement& pb = plan.placements[b];
  return fmt::format("conflicting buffers '{}' [{}, {}) and '{}' [{}, {}) overlap in pool '{}'",
                     problem.buffers[a].name, pa.offset, pa.offset + problem.buffers[a].size, problem.buffers[b].name,
                     pb.offset, pb.offset + problem.buffers[b].size, problem.pools[pa.pool].name);
}

bool addresses_overlap(const Problem& problem, const Plan& plan, std::size_t a, std::size_t b) {
  const Placement& pa = plan.placements[a];
  const Placement& pb = plan.placements[b];
  if (pa.pool != pb.pool) return false;
  if (problem.buffers[a].size == 0 || problem.buffers[b].size == 0) return false;
  return pa.offset < pb.offset + problem.buffers[b].size && pb.offset < pa.offset + problem.buffers[a].size;
}

// The allowance y holds for x, if any.
const OverlapAllowance* allowance_of(const Problem& problem, std::size_t y, std::size_t x) {
  for (const OverlapAllowance& a : problem.buffers[y].overlaps)
    if (a.with == static_cast<std::int32_t>(x)) return &a;
  return nullptr;
}

// Conflicting buffers a and b whose bytes overlap: a violation unless an overlap allowance
// permits it (the output starts at least `distance` bytes below the input).
std::optional<std::string> overlap_violation(const Problem& problem, const Plan& plan, std::size_t a, std::size_t b) {
  if (!addresses_overlap(problem, plan, a, b)) return std::nullopt;
  for (const auto& [y, x] : {std::make_pair(a, b), std::make_pair(b, a)}) {
    const OverlapAllowance* allowance = allowance_of(problem, y, x);
    if (allowance == nullptr) continue;
    const Bytes below = plan.placements[x].offset - plan.placements[y].offset;
    if (below >= allowance->distance) return std::nullopt;
    return fmt::format("{}, and '{}' starts {} bytes below '{}' where its overlap allowance needs at least {}",
                       overlap_message(problem, plan, std::min(a, b), std::max(a, b)), problem.buffers[y].name, below,
                       problem.buffers[x].name, allowance->distance);
  }
  return overlap_message(problem, plan, std::min(a, b), std::max(a, b));
}

// With overlap allowances, live buffers may share bytes, so the neighbour test below does not
// apply: each buffer is compared with every buffer live when it starts (plain and quadratic in
// the live set, which is small for models).
std::optional<std::string> check_live_ranges_with_overlaps(const Problem& problem, const Plan& plan) {
  std::vector<std::tuple<Step, int, std::size_t>> events;  // (step, 0 end / 1 start, buffer)
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    if (problem.buffers[i].size == 0) continue;
    for (const Interval& r : problem.buffers[i].live) {
      events.emplace_back(r.first, 1, i);
      events.emplace_back(r.last, 0, i);
    }
  }
  std::sort(events.begin(), events.end());
  std::vector<std::size_t> live;
  for (const auto& [step, type, buffer] : events) {
    if (type == 0) {
      live.erase(std::find(live.begin(), live.end(), buffer));
      continue;
    }
    for (std::size_t other : live)
      if (auto v = overlap_violation(problem, plan, other, buffer)) return v;
    live.push_back(buffer);
  }
  return std::nullopt;
}

// Live-range conflicts: sweep the timeline per pool, keeping the live buffers ordered by
// address. The live set is disjoint so far, so a new buffer only needs checking against its two
// neighbours in address order.
std::optional<std::string> check_live_ranges(const Problem& problem, const Plan& plan) {
  if (problem.has_overlaps()) return check_live_ranges_with_overlaps(problem, plan);
  // (pool, offset) -> buffer
  std::map<std::pair<std::int32_t, Bytes>, std::size_t> live;
  // One event (0 = end, 1 = start: at equal steps, ends first, as ranges are half-open).
  auto visit = [&](int type, std::size_t buffer) -> std::optional<std::string> {
    const Placement& p = plan.placements[buffer];
    const auto key = std::make_pair(p.pool, p.offset);
    if (type == 0) {
      auto it = live.find(key);
      if (it != live.end() && it->second == buffer) live.erase(it);
      return std::nullopt;
    }
    auto next = live.lower_bound(key);
    if (next != live.end() && next->first.first == p.pool && addresses_overlap(problem, plan, buffer, next->second))
      return overlap_message(problem, plan, next->second, buffer);
    if (next != live.begin()) {
      auto prev = std::prev(next);
      if (prev->first.first == p.pool && addresses_overlap(problem, plan, buffer, prev->second))
        return overlap_message(problem, plan, prev->second, buffer);
    }
    live.emplace(key, buffer);
    return std::nullopt;
  };
  Step lo = 0, hi = 0;
  std::size_t ranges = 0;
  for (const Buffer& b : problem.buffers) {
    if (b.size == 0) continue;
    for (const Interval& r : b.live) {
      lo = ranges == 0 ? r.first : std::min(lo, r.first);
      hi = ranges == 0 ? r.last : std::max(hi, r.last);
      ++ranges;
    }
  }
  // Events in (step, type, buffer) order. With dense steps (the usual case), bucketed by
  // (step, type) in buffer order, which needs no sort: a million-buffer check stays short.
  if (ranges > 0 && hi - lo <= static_cast<Step>(4 * ranges)) {
    auto slot = [lo](Step step, int type) { return static_cast<std::size_t>(2 * (step - lo) + type); };
    std::vector<std::uint32_t> start(slot(hi, 1) + 2, 0);
    for (const Buffer& b : problem.buffers) {
      if (b.size == 0) continue;
      for (const Interval& r : b.live) {
        ++start[slot(r.first, 1) + 1];
        ++start[slot(r.last, 0) + 1];
      }
    }
    for (std::size_t k = 1; k < start.size(); ++k) start[k] += start[k - 1];
    std::vector<std::uint32_t> order(2 * ranges);
    std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
      if (problem.buffers[i].size == 0) continue;
      for (const Interval& r : problem.buffers[i].live) {
        order[next[slot(r.first, 1)]++] = static_cast<std::uint32_t>(i);
        order[next[slot(r.last, 0)]++] = static_cast<std::uint32_t>(i);
      }
    }
    for (std::size_t k = 0; k + 1 < start.size(); ++k)
      for (std::uint32_t e = start[k]; e < start[k + 1]; ++e)
        if (auto v = visit(static_cast<int>(k % 2), order[e])) return v;
    return std::nullopt;
  }
  struct Event {
    Step step;
    int type;
    std::size_t buffer;
  };
  std::vector<Event> events;
  events.reserve(2 * ranges);
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    if (problem.buffers[i].size == 0) continue;
    for (const Interval& r : problem.buffers[i].live) {
      events.push_back({r.first, 1, i});
      events.push_back({r.last, 0, i});
    }
  }
  std::sort(events.begin(), events.end(), [](const Event& x, const Event& y) {
    return std::tie(x.step, x.type, x.buffer) < std::tie(y.step, y.type, y.buffer);
  });
  for (const Event& e : events)
    if (auto v = visit(e.type, e.buffer)) return v;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_plan(const Problem& problem, const Plan& plan) {
  if (plan.placements.size() != problem.buffers.size())
    return fmt::format("the plan places {} buffers but the problem has {}", plan.placements.size(),
                       problem.buffers.size());
  for (std::size_t i = 0; i < problem.buffers.size(); ++i)
    if (auto v = check_buffer(problem, plan, i)) return v;
  for (std::size_t i = 0; i < problem.buffers.size(); ++i)
    for (std::int32_t j : problem.buffers[i].conflicts)
      if (auto v = overlap_violation(problem, plan, i, static_cast<std::size_t>(j))) return v;
  if (auto v = check_live_ranges(problem, plan)) return v;
  for (std::size_t p = 0; p < plan.pool_sizes.size() && p < problem.pools.size(); ++p)
    if (problem.pools[p].limit && plan.pool_sizes[p] > *problem.pools[p].limit)
      return fmt::format("pool '{}' is {} bytes, beyond its limit of {}", problem.pools[p].name, plan.pool_sizes[p],
                         *problem.pools[p].limit);
  return std::nullopt;
}

}  // namespace arenaplan
