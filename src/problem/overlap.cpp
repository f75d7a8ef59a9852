#include "problem/overlap.h"

#include <algorithm>

#include <fmt/format.h>

#include "arenaplan/error.h"

namespace arenaplan {
namespace {

constexpr Bytes kMaxDistance = Bytes{1} << 60;  // as sizes: sums of a few never overflow

// Steps both buffers are live at, outside Y's first step: the first one found, or -1.
Step shared_step_besides_birth(const Buffer& x, const Buffer& y) {
  if (y.live.empty()) return -1;
  const Step birth = y.live.front().first;
  for (const Interval& a : x.live) {
    for (const Interval& b : y.live) {
      const Step first = std::max(a.first, b.first), last = std::min(a.last, b.last);
      if (first >= last) continue;
      if (first != birth) return first;
      if (last - first >= 2) return first + 1;
    }
  }
  return -1;
}

bool share_a_pool(const Buffer& a, const Buffer& b) {
  return std::any_of(a.pools.begin(), a.pools.end(),
                     [&](std::int32_t p) { return std::find(b.pools.begin(), b.pools.end(), p) != b.pools.end(); });
}

// A cycle of allowances (Y -> X edges), as the name of one buffer on it, or nothing.
std::int32_t find_cycle(const Problem& problem) {
  const std::size_t n = problem.buffers.size();
  std::vector<std::uint8_t> state(n, 0);  // 0 new, 1 on the path, 2 done
  std::vector<std::pair<std::int32_t, std::size_t>> stack;
  for (std::size_t start = 0; start < n; ++start) {
    if (state[start] != 0 || problem.buffers[start].overlaps.empty()) continue;
    stack.push_back({static_cast<std::int32_t>(start), 0});
    state[start] = 1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      const auto& edges = problem.buffers[static_cast<std::size_t>(node)].overlaps;
      if (next == edges.size()) {
        state[static_cast<std::size_t>(node)] = 2;
        stack.pop_back();
        continue;
      }
      const std::int32_t to = edges[next++].with;
      if (state[static_cast<std::size_t>(to)] == 1) return to;
      if (state[static_cast<std::size_t>(to)] == 0) {
        state[static_cast<std::size_t>(to)] = 1;
        stack.push_back({to, 0});
      }
    }
  }
  return -1;
}

}  // namespace

OverlapIndex::OverlapIndex(const Problem& problem) {
  if (!problem.has_overlaps()) return;
  partners_.resize(problem.buffers.size());
  for (std::size_t y = 0; y < problem.buffers.size(); ++y) {
    for (const OverlapAllowance& a : problem.buffers[y].overlaps) {
      partners_[y].push_back({a.with, a.distance, true});
      partners_[static_cast<std::size_t>(a.with)].push_back({static_cast<std::int32_t>(y), a.distance, false});
      ++count_;
    }
  }
  for (auto& list : partners_)
    std::sort(list.begin(), list.end(),
              [](const OverlapPartner& a, const OverlapPartner& b) { return a.other < b.other; });
}

const OverlapPartner* OverlapIndex::find(std::int32_t i, std::int32_t j) const {
  const auto& list = partners(i);
  auto it = std::lower_bound(list.begin(), list.end(), j,
                             [](const OverlapPartner& p, std::int32_t value) { return p.other < value; });
  return it != list.end() && it->other == j ? &*it : nullptr;
}

OccupiedSegment occupied_by_partner(const OverlapPartner& partner, Bytes self_size, Bytes other_offset,
                                    Bytes other_size) {
  if (partner.self_is_output)
    return {other_offset + std::max<Bytes>(self_size - partner.distance, 0), other_offset + other_size};
  return {other_offset, other_offset + std::min(partner.distance, other_size)};
}

Bytes pair_footprint(Bytes x_size, Bytes y_size, Bytes distance) {
  return std::min(x_size + y_size, std::max(x_size + distance, y_size));
}

void normalise_overlaps(Problem& problem, std::string_view source) {
  auto fail = [&](const std::string& what) { throw InputError(fmt::format("{}: {}", source, what)); };
  const auto count = static_cast<std::int64_t>(problem.buffers.size());
  for (std::size_t y = 0; y < problem.buffers.size(); ++y) {
    Buffer& b = problem.buffers[y];
    for (const OverlapAllowance& a : b.overlaps) {
      if (a.with < 0 || a.with >= count)
        fail(fmt::format("buffer '{}': overlap allowance with buffer index {}, which does not exist", b.name, a.with));
      const Buffer& x = problem.buffers[static_cast<std::size_t>(a.with)];
      if (static_cast<std::size_t>(a.with) == y)
        fail(fmt::format("buffer '{}' has an overlap allowance with itself", b.name));
      if (a.distance < 0 || a.distance > kMaxDistance)
        fail(fmt::format("buffer '{}': overlap allowance with '{}' has distance {}, out of range [0, 2^60]", b.name,
                         x.name, a.distance));
      if (!share_a_pool(b, x))
        fail(fmt::format(
            "buffer '{}': overlap allowance with '{}', but the two have no candidate pool in common (an allowance "
            "only holds within one pool)",
            b.name, x.name));
      if (const Step t = shared_step_besides_birth(x, b); t >= 0)
        fail(fmt::format(
            "buffer '{}': overlap allowance with '{}', but both are live at step {}; '{}' must die at the step "
            "where '{}' is born ({})",
            b.name, x.name, t, x.name, b.name, b.live.empty() ? Step{0} : b.live.front().first));
    }
    std::sort(b.overlaps.begin(), b.overlaps.end(),
              [](const OverlapAllowance& p, const OverlapAllowance& q) { return p.with < q.with; });
    for (std::size_t k = 1; k < b.overlaps.size(); ++k)
      if (b.overlaps[k].with == b.overlaps[k - 1].with)
        fail(fmt::format("buffer '{}' lists an overlap allowance with '{}' twice", b.name,
                         problem.buffers[static_cast<std::size_t>(b.overlaps[k].with)].name));
  }
  for (std::size_t y = 0; y < problem.buffers.size(); ++y) {
    for (const OverlapAllowance& a : problem.buffers[y].overlaps) {
      const auto& back = problem.buffers[static_cast<std::size_t>(a.with)].overlaps;
      if (std::any_of(back.begin(), back.end(),
                      [&](const OverlapAllowance& o) { return o.with == static_cast<std::int32_t>(y); }))
        fail(fmt::format("buffers '{}' and '{}' have overlap allowances with each other; a pair has at most one",
                         problem.buffers[std::min<std::size_t>(y, static_cast<std::size_t>(a.with))].name,
                         problem.buffers[std::max<std::size_t>(y, static_cast<std::size_t>(a.with))].name));
    }
  }
  if (const std::int32_t on = find_cycle(problem); on >= 0)
    fail(fmt::format(
        "overlap allowances form a cycle through buffer '{}' (each is written after its partner is read, so a cycle "
        "cannot happen)",
        problem.buffers[static_cast<std::size_t>(on)].name));
}

}  // namespace arenaplan
