#include "arenaplan/lower_bound.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <numeric>

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
  // Dense steps (the usual case): a difference array over the steps, no sort. A million buffers
  // are bounded in a few passes, before the search starts.
  Step lo = 0, hi = -1;
  std::size_t ranges = 0;
  for (std::int32_t i : members) {
    const Buffer& b = problem.buffers[i];
    if (b.size == 0) continue;
    for (const Interval& r : b.live) {
      lo = ranges == 0 ? r.first : std::min(lo, r.first);
      hi = ranges == 0 ? r.last : std::max(hi, r.last);
      ++ranges;
    }
  }
  auto saved = [&](Step step) {
    auto it = savings.find(step);
    return it == savings.end() ? Bytes{0} : it->second;
  };
  Bytes live = 0, peak = 0;
  if (ranges > 0 && hi >= lo && hi - lo <= static_cast<Step>(4 * ranges)) {
    std::vector<Bytes> delta(static_cast<std::size_t>(hi - lo) + 1, 0);
    std::vector<char> event(delta.size(), 0);
    for (std::int32_t i : members) {
      const Buffer& b = problem.buffers[i];
      if (b.size == 0) continue;
      for (const Interval& r : b.live) {
        delta[static_cast<std::size_t>(r.first - lo)] += b.size;
        delta[static_cast<std::size_t>(r.last - lo)] -= b.size;
        event[static_cast<std::size_t>(r.first - lo)] = event[static_cast<std::size_t>(r.last - lo)] = 1;
      }
    }
    for (std::size_t k = 0; k < delta.size(); ++k) {
      live += delta[k];
      if (event[k]) peak = std::max(peak, live - saved(lo + static_cast<Step>(k)));
    }
    return peak;
  }
  std::vector<std::pair<Step, Bytes>> events;
  events.reserve(2 * ranges);
  for (std::int32_t i : members) {
    const Buffer& b = problem.buffers[i];
    if (b.size == 0) continue;
    for (const Interval& r : b.live) {
      events.emplace_back(r.first, b.size);
      events.emplace_back(r.last, -b.size);
    }
  }
  std::sort(events.begin(), events.end());  // at equal steps, negative (ends) sort first
  for (std::size_t e = 0; e < events.size(); ++e) {
    live += events[e].second;
    if (e + 1 < events.size() && events[e + 1].first == events[e].first) continue;  // the step's last event
    peak = std::max(peak, live - saved(events[e].first));
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
// exact up to 64 members, greedy from the heaviest vertices beyond that, while the budget lasts.
// Any clique is a valid bound, so a cut search still gives one. With overlap allowances
// (overlap_aware), a pair holding one is not an edge: the buffers of a clique are then wholly
// disjoint.
Bytes heavy_clique(const Problem& problem, const ConflictIndex& index, const std::vector<std::int32_t>& members,
                   const OverlapIndex* overlaps, const Budget& budget) {
  std::vector<std::int32_t> local(problem.buffers.size(), -1);
  for (std::size_t k = 0; k < members.size(); ++k) local[members[k]] = static_cast<std::int32_t>(k);
  std::vector<std::vector<std::int32_t>> adj(members.size());
  for (std::size_t k = 0; k < members.size(); ++k) {
    for (std::int32_t j : index.neighbors(members[k]))
      if (local[j] >= 0 && !(overlaps && overlaps->find(members[k], j))) adj[k].push_back(local[j]);
    budget.charge(static_cast<std::int64_t>(adj[k].size()) + 1);
  }
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
  auto heavier = [&](std::int32_t a, std::int32_t b) {
    return weight(a) > weight(b) || (weight(a) == weight(b) && a < b);
  };
  std::vector<std::int32_t> starts(members.size());
  for (std::size_t k = 0; k < members.size(); ++k) starts[k] = static_cast<std::int32_t>(k);
  std::sort(starts.begin(), starts.end(), heavier);
  Bytes best = 0;
  for (std::int32_t k : starts) {
    if (budget.exhausted()) break;
    std::vector<std::int32_t> candidates = adj[static_cast<std::size_t>(k)];
    std::sort(candidates.begin(), candidates.end(), heavier);
    std::vector<std::int32_t> clique{k};
    Bytes total = weight(k);
    for (std::int32_t c : candidates) {
      const bool joins = std::all_of(clique.begin(), clique.end(), [&](std::int32_t m) {
        return std::binary_search(adj[static_cast<std::size_t>(m)].begin(), adj[static_cast<std::size_t>(m)].end(), c);
      });
      if (joins) {
        clique.push_back(c);
        total += weight(c);
      }
    }
    budget.charge(static_cast<std::int64_t>(candidates.size() * clique.size()) + 1);
    best = std::max(best, total);
  }
  return best;
}

Bytes bound_of(const Problem& problem, const ConflictIndex* index, const std::vector<std::int32_t>& members,
               BoundKind kind, const Budget& budget) {
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
    bound = std::max(bound, heavy_clique(problem, *index, members, overlaps.get(), budget));
  }
  return bound;
}

// Without a budget from a solve: a fixed amount of work (about a second), the same on any machine.
constexpr std::int64_t kUnbudgetedWork = 25'000'000;

Budget unbudgeted() { return Budget(kUnbudgetedWork, 1e7, nullptr); }

}  // namespace

Bytes lower_bound(const Problem& problem, BoundKind kind) { return lower_bound(problem, unbudgeted(), kind); }

Bytes lower_bound(const Problem& problem, const Budget& budget, BoundKind kind) {
  // Pools that no buffer can choose between are independent: their bounds add up. Group the
  // pools that share a candidate buffer (union-find), bound each group's buffers, and sum.
  std::vector<std::int32_t> parent(problem.pools.size());
  for (std::size_t p = 0; p < parent.size(); ++p) parent[p] = static_cast<std::int32_t>(p);
  auto root = [&](std::int32_t p) {
    while (parent[p] != p) p = parent[p] = parent[parent[p]];
    return p;
  };
  if (problem.pools.size() > 1)
    for (const Buffer& b : problem.buffers)
      for (std::int32_t p : b.pools) parent[root(p)] = root(b.pools.front());
  std::vector<std::vector<std::int32_t>> groups(problem.pools.size());
  if (problem.pools.size() == 1) {
    groups[0].resize(problem.buffers.size());
    std::iota(groups[0].begin(), groups[0].end(), 0);
  } else {
    for (std::size_t i = 0; i < problem.buffers.size(); ++i)
      groups[root(problem.buffers[i].pools.front())].push_back(static_cast<std::int32_t>(i));
  }
  std::unique_ptr<ConflictIndex> index;
  if (!problem.interval_only()) index = std::make_unique<ConflictIndex>(problem);
  Bytes total = 0;
  for (const auto& members : groups)
    if (!members.empty()) total += bound_of(problem, index.get(), members, kind, budget);
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
  const Budget budget = unbudgeted();
  for (const auto& m : members) bounds.push_back(bound_of(problem, index.get(), m, kind, budget));
  return bounds;
}

Bytes members_lower_bound(const Problem& problem, const std::vector<std::int32_t>& members, BoundKind kind) {
  std::unique_ptr<ConflictIndex> index;
  if (!problem.interval_only()) index = std::make_unique<ConflictIndex>(problem);
  return bound_of(problem, index.get(), members, kind, unbudgeted());
}

}  // namespace arenaplan
