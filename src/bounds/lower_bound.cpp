#include "arenaplan/lower_bound.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>

#include "bounds/overlap_bound.h"
#include "problem/conflict_index.h"
#include "problem/overlap.h"

namespace arenaplan {
namespace {

// Largest total size of members live at one step (half-open ranges: an end at t frees before a
// start at t takes), less at each step what its overlap allowances may save (overlap_bound.cpp).
Bytes max_live(const Problem& problem, const std::vector<std::int32_t>& members, BoundKind kind) {
  std::map<Step, Bytes> savings;
  if (kind == BoundKind::overlap_aware && problem.has_overlaps()) {
    std::vector<char> member(problem.buffers.size(), 0);
    for (std::int32_t i : members) member[static_cast<std::size_t>(i)] = 1;
    savings = bounds::overlap_savings(problem, member);
  }
  std::vector<std::pair<Step, Bytes>> events;
  for (std::int32_t i : members) {
    const Buffer& b = problem.buffers[i];
    if (b.size == 0) continue;
    for (const Interval& r : b.live) {
      events.emplace_back(r.first, b.size);
      events.emplace_back(r.last, -b.size);
    }
  }
  std::sort(events.begin(), events.end());  // at equal steps, negative (ends) sort first
  Bytes live = 0, peak = 0;
  for (std::size_t e = 0; e < events.size(); ++e) {
    live += events[e].second;
    if (e + 1 < events.size() && events[e + 1].first == events[e].first) continue;  // the step's last event
    auto it = savings.find(events[e].first);
    peak = std::max(peak, live - (it == savings.end() ? 0 : it->second));
  }
  return peak;
}

// Exact maximum-weight clique for up to 64 vertices (branch and bound over bit sets).
class SmallClique {
 public:
  SmallClique(std::vector<Bytes> weights, std::vector<std::uint64_t> adjacency)
      : w_(std::move(weights)), adj_(std::move(adjacency)) {}

  Bytes solve() {
    std::uint64_t all = w_.size() == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << w_.size()) - 1;
    expand(0, all);
    return best_;
  }

 private:
  Bytes sum(std::uint64_t set) const {
    Bytes s = 0;
    for (; set; set &= set - 1) s += w_[static_cast<std::size_t>(__builtin_ctzll(set))];
    return s;
  }
  void expand(Bytes weight, std::uint64_t candidates) {
    if (++nodes_ > 2'000'000) return;  // the bound stays valid (best_ is a real clique)
    best_ = std::max(best_, weight);
    while (candidates) {
      if (weight + sum(candidates) <= best_) return;
      const int v = __builtin_ctzll(candidates);
      candidates &= candidates - 1;
      expand(weight + w_[static_cast<std::size_t>(v)], candidates & adj_[static_cast<std::size_t>(v)]);
    }
  }

  std::vector<Bytes> w_;
  std::vector<std::uint64_t> adj_;
  Bytes best_ = 0;
  std::int64_t nodes_ = 0;
};

// A heavy clique among members in the full conflict graph (explicit edges and live overlaps):
// exact up to 64 members, greedy from every vertex beyond that. Any clique is a valid bound.
// With overlap allowances (overlap_aware), a pair holding one is not an edge: the buffers of a
// clique are then wholly disjoint.
Bytes heavy_clique(const Problem& problem, const ConflictIndex& index, const std::vector<std::int32_t>& members,
                   const OverlapIndex* overlaps) {
  std::unordered_map<std::int32_t, std::int32_t> local;
  for (std::size_t k = 0; k < members.size(); ++k) local[members[k]] = static_cast<std::int32_t>(k);
  std::vector<std::vector<std::int32_t>> adj(members.size());
  for (std::size_t k = 0; k < members.size(); ++k)
    for (std::int32_t j : index.neighbors(members[k]))
      if (auto it = local.find(j); it != local.end() && !(overlaps && overlaps->find(members[k], j)))
        adj[k].push_back(it->second);
  auto weight = [&](std::int32_t k) { return problem.buffers[members[static_cast<std::size_t>(k)]].size; };

  if (members.size() <= 64) {
    std::vector<Bytes> w(members.size());
    std::vector<std::uint64_t> bits(members.size(), 0);
    for (std::size_t k = 0; k < members.size(); ++k) {
      w[k] = weight(static_cast<std::int32_t>(k));
      for (std::int32_t j : adj[k]) bits[k] |= std::uint64_t{1} << j;
    }
    return SmallClique(std::move(w), std::move(bits)).solve();
  }
  Bytes best = 0;
  for (std::size_t k = 0; k < members.size(); ++k) {
    std::vector<std::int32_t> candidates = adj[k];
    std::sort(candidates.begin(), candidates.end(), [&](std::int32_t a, std::int32_t b) {
      return weight(a) > weight(b) || (weight(a) == weight(b) && a < b);
    });
    std::vector<std::int32_t> clique{static_cast<std::int32_t>(k)};
    Bytes total = weight(static_cast<std::int32_t>(k));
    for (std::int32_t c : candidates) {
      const bool joins = std::all_of(clique.begin(), clique.end(), [&](std::int32_t m) {
        return std::binary_search(adj[static_cast<std::size_t>(m)].begin(), adj[static_cast<std::size_t>(m)].end(), c);
      });
      if (joins) {
        clique.push_back(c);
        total += weight(c);
      }
    }
    best = std::max(best, total);
  }
  return best;
}

Bytes bound_of(const Problem& problem, const ConflictIndex* index, const std::vector<std::int32_t>& members,
               BoundKind kind) {
  Bytes bound = max_live(problem, members, kind);
  bool explicit_edges = false;
  Bytes largest = 0;
  for (std::int32_t i : members) {
    explicit_edges |= !problem.buffers[i].conflicts.empty();
    largest = std::max(largest, problem.buffers[i].size);
  }
  bound = std::max(bound, largest);
  if (explicit_edges && index != nullptr) {
    std::unique_ptr<OverlapIndex> overlaps;
    if (kind == BoundKind::overlap_aware && problem.has_overlaps()) overlaps = std::make_unique<OverlapIndex>(problem);
    bound = std::max(bound, heavy_clique(problem, *index, members, overlaps.get()));
  }
  return bound;
}

}  // namespace

Bytes lower_bound(const Problem& problem, BoundKind kind) {
  // Pools that no buffer can choose between are independent: their bounds add up. Group the
  // pools that share a candidate buffer (union-find), bound each group's buffers, and sum.
  std::vector<std::int32_t> parent(problem.pools.size());
  for (std::size_t p = 0; p < parent.size(); ++p) parent[p] = static_cast<std::int32_t>(p);
  auto root = [&](std::int32_t p) {
    while (parent[p] != p) p = parent[p] = parent[parent[p]];
    return p;
  };
  for (const Buffer& b : problem.buffers)
    for (std::int32_t p : b.pools) parent[root(p)] = root(b.pools.front());
  std::vector<std::vector<std::int32_t>> groups(problem.pools.size());
  for (std::size_t i = 0; i < problem.buffers.size(); ++i)
    groups[root(problem.buffers[i].pools.front())].push_back(static_cast<std::int32_t>(i));
  std::unique_ptr<ConflictIndex> index;
  if (!problem.interval_only()) index = std::make_unique<ConflictIndex>(problem);
  Bytes total = 0;
  for (const auto& members : groups)
    if (!members.empty()) total += bound_of(problem, index.get(), members, kind);
  return total;
}

std::vector<Bytes> pool_lower_bounds(const Problem& problem, const Plan& plan, BoundKind kind) {
  std::vector<std::vector<std::int32_t>> members(problem.pools.size());
  for (std::size_t i = 0; i < plan.placements.size(); ++i) {
    const std::int32_t p = plan.placements[i].pool;
    if (p >= 0 && p < static_cast<std::int32_t>(members.size())) members[p].push_back(static_cast<std::int32_t>(i));
  }
  std::unique_ptr<ConflictIndex> index;
  if (!problem.interval_only()) index = std::make_unique<ConflictIndex>(problem);
  std::vector<Bytes> bounds;
  for (const auto& m : members) bounds.push_back(bound_of(problem, index.get(), m, kind));
  return bounds;
}

Bytes members_lower_bound(const Problem& problem, const std::vector<std::int32_t>& members, BoundKind kind) {
  std::unique_ptr<ConflictIndex> index;
  if (!problem.interval_only()) index = std::make_unique<ConflictIndex>(problem);
  return bound_of(problem, index.get(), members, kind);
}

}  // namespace arenaplan
