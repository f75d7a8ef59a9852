// Why the bound stays valid (docs/overlap.md). At a step t every live buffer conflicts with
// every other, so in one pool their bytes are disjoint except within pairs that hold an
// allowance. Take any subset S of the live buffers in which the allowance pairs form a matching
// (each buffer of S is in at most one pair with another buffer of S). Then S splits into parts,
// single buffers and matched pairs, and any two parts are wholly disjoint. A single buffer
// covers its size; a pair (X, Y, d) covers at least max(|X| + d, |Y|) when Y overlaps X (Y starts
// at least d below X, so the union runs from Y's start to past both ends), and |X| + |Y| when
// not, hence pair_footprint(). Summing over the parts bounds the bytes used in the pool; over
// several pools a split pair is disjoint, so the sum still bounds the pools' total. The bound at
// t is the best such S: buffers in no pair at t are always in S; for each connected group of
// pairs (an ADD output with allowances to both inputs, a SPLIT input to several outputs) every
// subset is tried when the group is small, and a greedy one, which is valid but weaker, beyond.
#include "bounds/overlap_bound.h"

#include <algorithm>
#include <numeric>

#include "problem/overlap.h"

namespace arenaplan::bounds {
namespace {

constexpr std::size_t kExhaustiveGroup = 12;

struct Pair {
  std::int32_t x, y;
  Bytes distance;
};

bool live_at(const Buffer& b, Step t) {
  return std::any_of(b.live.begin(), b.live.end(), [&](const Interval& r) { return r.first <= t && t < r.last; });
}

// Bytes covered by the subset `chosen` of `vertices` (bit k = vertices[k]), or -1 when the pairs
// inside it are not a matching.
Bytes covered(const Problem& problem, const std::vector<std::int32_t>& vertices, const std::vector<Pair>& pairs,
              std::uint32_t chosen) {
  auto bit = [&](std::int32_t buffer) {
    const auto k = std::find(vertices.begin(), vertices.end(), buffer) - vertices.begin();
    return std::uint32_t{1} << k;
  };
  Bytes total = 0;
  for (std::size_t k = 0; k < vertices.size(); ++k)
    if (chosen & (std::uint32_t{1} << k)) total += problem.buffers[static_cast<std::size_t>(vertices[k])].size;
  std::uint32_t matched = 0;
  for (const Pair& p : pairs) {
    const std::uint32_t bx = bit(p.x), by = bit(p.y);
    if (!(chosen & bx) || !(chosen & by)) continue;
    if ((matched & bx) || (matched & by)) return -1;
    matched |= bx | by;
    const Bytes x = problem.buffers[static_cast<std::size_t>(p.x)].size;
    const Bytes y = problem.buffers[static_cast<std::size_t>(p.y)].size;
    total -= x + y - pair_footprint(x, y, p.distance);
  }
  return total;
}

// The least bytes a connected group of pairs needs at one step (see the comment at the top).
Bytes group_need(const Problem& problem, const std::vector<std::int32_t>& vertices, const std::vector<Pair>& pairs) {
  if (vertices.size() <= kExhaustiveGroup) {
    Bytes best = 0;
    for (std::uint32_t chosen = 1; chosen < (std::uint32_t{1} << vertices.size()); ++chosen)
      best = std::max(best, covered(problem, vertices, pairs, chosen));
    return best;
  }
  // Beyond that: the heavier of a greedy set with no pair inside (largest first) and the best
  // single pair. Both are valid choices of S, so the bound stays valid, only weaker.
  std::vector<std::int32_t> order = vertices;
  auto size = [&](std::int32_t b) { return problem.buffers[static_cast<std::size_t>(b)].size; };
  std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return size(a) > size(b); });
  std::vector<std::int32_t> kept;
  Bytes best = 0;
  for (std::int32_t v : order) {
    const bool paired = std::any_of(pairs.begin(), pairs.end(), [&](const Pair& p) {
      const std::int32_t other = p.x == v ? p.y : p.y == v ? p.x : -1;
      return other >= 0 && std::find(kept.begin(), kept.end(), other) != kept.end();
    });
    if (paired) continue;
    kept.push_back(v);
    best += size(v);
  }
  for (const Pair& p : pairs) best = std::max(best, pair_footprint(size(p.x), size(p.y), p.distance));
  return best;
}

Bytes saving_at(const Problem& problem, const std::vector<Pair>& pairs) {
  // Connected groups of pairs (union-find over their buffers).
  std::vector<std::int32_t> vertices;
  for (const Pair& p : pairs) vertices.insert(vertices.end(), {p.x, p.y});
  std::sort(vertices.begin(), vertices.end());
  vertices.erase(std::unique(vertices.begin(), vertices.end()), vertices.end());
  std::vector<std::size_t> parent(vertices.size());
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  auto local = [&](std::int32_t b) {
    return static_cast<std::size_t>(std::lower_bound(vertices.begin(), vertices.end(), b) - vertices.begin());
  };
  auto root = [&](std::size_t v) {
    while (parent[v] != v) v = parent[v] = parent[parent[v]];
    return v;
  };
  for (const Pair& p : pairs) parent[root(local(p.x))] = root(local(p.y));
  Bytes saving = 0;
  for (std::size_t r = 0; r < vertices.size(); ++r) {
    if (root(r) != r) continue;
    std::vector<std::int32_t> group;
    Bytes sum = 0;
    for (std::size_t v = 0; v < vertices.size(); ++v) {
      if (root(v) != r) continue;
      group.push_back(vertices[v]);
      sum += problem.buffers[static_cast<std::size_t>(vertices[v])].size;
    }
    std::vector<Pair> inside;
    for (const Pair& p : pairs)
      if (root(local(p.x)) == r) inside.push_back(p);
    saving += sum - group_need(problem, group, inside);
  }
  return saving;
}

}  // namespace

std::map<Step, Bytes> overlap_savings(const Problem& problem, const std::vector<char>& member) {
  std::map<Step, std::vector<Pair>> pairs_at;
  for (std::size_t y = 0; y < problem.buffers.size(); ++y) {
    const Buffer& b = problem.buffers[y];
    if (!member[y] || b.live.empty() || b.size == 0) continue;
    const Step birth = b.live.front().first;
    for (const OverlapAllowance& a : b.overlaps) {
      const Buffer& x = problem.buffers[static_cast<std::size_t>(a.with)];
      if (!member[static_cast<std::size_t>(a.with)] || x.size == 0 || !live_at(x, birth)) continue;
      pairs_at[birth].push_back({a.with, static_cast<std::int32_t>(y), a.distance});
    }
  }
  std::map<Step, Bytes> savings;
  for (const auto& [step, pairs] : pairs_at) savings[step] = saving_at(problem, pairs);
  return savings;
}

}  // namespace arenaplan::bounds
