#include "algorithms/gap_fill.h"

#include <algorithm>
#include <limits>
#include <queue>

#include <fmt/format.h>

namespace arenaplan::detail {
namespace {

constexpr Bytes kUnlimited = std::numeric_limits<Bytes>::max() / 4;

Bytes limit_of(const Pool& pool) { return pool.limit ? *pool.limit : kUnlimited; }

void finish(const Problem& problem, Placed& placed) { compute_pool_sizes(problem, placed.plan); }

// Placements poll their budget every so many buffers (fixed points: a work stop is reproducible).
constexpr std::size_t kPollEvery = 64;

// Charges the work done since the last poll; true when the budget has run out.
bool poll(const Budget& budget, std::int64_t& work) {
  budget.charge(work);
  work = 0;
  return budget.exhausted();
}

}  // namespace

Bytes find_gap(const std::vector<Segment>& occupied, Bytes size, Bytes alignment, Bytes limit, Fit fit) {
  Bytes cursor = 0;
  Bytes best = -1, best_slack = kUnlimited;
  for (const Segment& s : occupied) {
    if (s.begin >= cursor + size) {
      if (fit == Fit::first) return cursor;
      const Bytes slack = s.begin - cursor - size;
      if (slack < best_slack) {
        best = cursor;
        best_slack = slack;
      }
    }
    cursor = std::max(cursor, align_up(s.end, alignment));
  }
  // The space above every segment: a gap up to the limit.
  if (best >= 0 && (cursor + size > limit || best_slack <= limit - cursor - size)) return best;
  return cursor;
}

Placed place_in_order(const Problem& problem, const ConflictIndex& index, const std::vector<std::int32_t>& order,
                      Fit fit, const Budget* budget) {
  const std::size_t n = problem.buffers.size();
  Placed result;
  result.plan.placements.assign(n, Placement{});
  std::int64_t work = 0;  // charged to the budget at every poll
  std::vector<char> done(n, 0);
  std::vector<std::pair<std::int32_t, Segment>> near;  // (pool, segment) of placed neighbours
  std::vector<Segment> occupied;

  auto place = [&](std::int32_t i) {
    const Buffer& b = problem.buffers[i];
    Placement& out = result.plan.placements[i];
    done[i] = 1;
    ++work;
    if (b.fixed_offset) {
      out = {b.pools.front(), *b.fixed_offset};
      const Bytes excess = *b.fixed_offset + b.size - limit_of(problem.pools[b.pools.front()]);
      if (excess > 0) result.overflow.push_back({i, b.pools.front(), excess});
      return;
    }
    if (b.size == 0) {
      out = {b.pools.front(), 0};
      return;
    }
    near.clear();
    const OverlapIndex& overlaps = index.overlaps();
    index.for_each_neighbor(i, [&](std::int32_t j) {
      ++work;
      if (!done[j] || result.plan.placements[j].pool < 0 || problem.buffers[j].size == 0) return;
      const Placement& at = result.plan.placements[j];
      if (const OverlapPartner* partner = overlaps.find(i, j)) {
        // An allowance: only part of the partner is in the way (overlap.h).
        const OccupiedSegment s = occupied_by_partner(*partner, b.size, at.offset, problem.buffers[j].size);
        near.push_back({at.pool, {s.begin, s.end}});
      } else {
        near.push_back({at.pool, {at.offset, at.offset + problem.buffers[j].size}});
      }
    });
    Bytes first_choice = -1;
    for (std::int32_t p : b.pools) {
      occupied.clear();
      work += static_cast<std::int64_t>(near.size());
      for (const auto& [pool, seg] : near)
        if (pool == p) occupied.push_back(seg);
      std::sort(occupied.begin(), occupied.end(), [](const Segment& x, const Segment& y) { return x.begin < y.begin; });
      const Bytes limit = limit_of(problem.pools[p]);
      const Bytes offset = find_gap(occupied, b.size, b.alignment, limit, fit);
      if (first_choice < 0) first_choice = offset;
      if (offset + b.size <= limit) {
        out = {p, offset};
        return;
      }
    }
    // Nothing fits: record by how much, and keep it (past the limit) in its first pool.
    const std::int32_t p = b.pools.front();
    out = {p, first_choice};
    result.overflow.push_back({i, p, first_choice + b.size - limit_of(problem.pools[p])});
  };

  for (std::size_t i = 0; i < n; ++i)
    if (problem.buffers[i].fixed_offset) place(static_cast<std::int32_t>(i));
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (budget != nullptr && k % kPollEvery == 0 && poll(*budget, work)) {
      result.cut = true;
      return result;
    }
    if (!done[order[k]]) place(order[k]);
  }
  if (budget != nullptr) budget->charge(work);
  finish(problem, result);
  return result;
}

bool sweep_applies(const Problem& problem) {
  return std::all_of(problem.buffers.begin(), problem.buffers.end(),
                     [](const Buffer& b) { return b.conflicts.empty() && b.live.size() == 1 && !b.fixed_offset; });
}

Placed place_by_sweep(const Problem& problem, const std::vector<std::int32_t>& order, Fit fit, const Budget* budget) {
  const std::size_t n = problem.buffers.size();
  Placed result;
  result.plan.placements.assign(n, Placement{});
  std::int64_t work = 0;
  // Live buffers per pool, sorted by address (few at a time: a flat vector beats a tree), and
  // the ends still to come.
  std::vector<std::vector<Segment>> live(problem.pools.size());
  using End = std::pair<Step, std::int32_t>;
  std::priority_queue<End, std::vector<End>, std::greater<>> ends;
  auto by_begin = [](const Segment& a, const Segment& b) { return a.begin < b.begin; };
  const OverlapIndex overlaps(problem);
  std::vector<Segment> adjusted;
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (budget != nullptr && k % kPollEvery == 0 && poll(*budget, work)) {
      result.cut = true;
      return result;
    }
    const std::int32_t i = order[k];
    const Buffer& b = problem.buffers[i];
    const Interval& r = b.live.front();
    ++work;
    while (!ends.empty() && ends.top().first <= r.first) {
      const std::int32_t j = ends.top().second;
      ends.pop();
      auto& segments = live[result.plan.placements[j].pool];
      auto it =
          std::lower_bound(segments.begin(), segments.end(), Segment{result.plan.placements[j].offset, 0}, by_begin);
      while (it->buffer != j) ++it;
      segments.erase(it);
    }
    Placement& out = result.plan.placements[i];
    if (b.size == 0) {
      out = {b.pools.front(), 0};
      continue;
    }
    Bytes first_choice = -1;
    bool placed = false;
    for (std::int32_t p : b.pools) {
      const Bytes limit = limit_of(problem.pools[p]);
      work += static_cast<std::int64_t>(live[p].size());
      const std::vector<Segment>* occupied = &live[p];
      if (!overlaps.partners(i).empty()) {
        // Live partners of an allowance are only partly in the way (overlap.h).
        adjusted = live[p];
        for (Segment& s : adjusted) {
          if (const OverlapPartner* partner = overlaps.find(i, s.buffer)) {
            const OccupiedSegment o = occupied_by_partner(*partner, b.size, s.begin, s.end - s.begin);
            s = {o.begin, o.end, s.buffer};
          }
        }
        std::sort(adjusted.begin(), adjusted.end(), by_begin);
        occupied = &adjusted;
      }
      const Bytes offset = find_gap(*occupied, b.size, b.alignment, limit, fit);
      if (first_choice < 0) first_choice = offset;
      if (offset + b.size <= limit) {
        out = {p, offset};
        placed = true;
        break;
      }
    }
    if (!placed) {
      out = {b.pools.front(), first_choice};
      result.overflow.push_back({i, b.pools.front(), first_choice + b.size - limit_of(problem.pools[b.pools.front()])});
    }
    auto& segments = live[out.pool];
    const Segment segment{out.offset, out.offset + b.size, i};
    segments.insert(std::upper_bound(segments.begin(), segments.end(), segment, by_begin), segment);
    ends.push({r.last, i});
  }
  if (budget != nullptr) budget->charge(work);
  finish(problem, result);
  return result;
}

std::string describe_overflow(const Problem& problem, const Placed& placed) {
  // Per pool: the largest excess, and the buffers that did not fit.
  std::string text;
  std::vector<Bytes> excess(problem.pools.size(), 0);
  std::vector<std::vector<std::string>> names(problem.pools.size());
  for (const Overflow& o : placed.overflow) {
    excess[o.pool] = std::max(excess[o.pool], o.excess);
    names[o.pool].push_back(problem.buffers[o.buffer].name);
  }
  for (std::size_t p = 0; p < problem.pools.size(); ++p) {
    if (names[p].empty()) continue;
    std::string list;
    for (std::size_t k = 0; k < names[p].size() && k < 5; ++k) list += (k ? ", '" : "'") + names[p][k] + "'";
    if (names[p].size() > 5) list += fmt::format(" and {} more", names[p].size() - 5);
    text += fmt::format(
        "{}pool '{}' (limit {} bytes) is {} bytes short for this placement: {} buffer(s) did not fit ({})",
        text.empty() ? "" : "; ", problem.pools[p].name, limit_of(problem.pools[p]), excess[p], names[p].size(), list);
  }
  return text + " (raise the limit; a longer time limit or another algorithm may fit)";
}

}  // namespace arenaplan::detail
