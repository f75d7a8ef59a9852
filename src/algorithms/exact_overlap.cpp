#include "algorithms/exact_overlap.h"

#include <algorithm>
#include <limits>

#include "problem/overlap.h"

namespace arenaplan::exact {
namespace {

bool conflict(const Buffer& a, std::int32_t b_index, const Buffer& b) {
  return std::binary_search(a.conflicts.begin(), a.conflicts.end(), b_index) || live_ranges_overlap(a, b);
}

}  // namespace

bool has_allowances_within(const Problem& problem, const std::vector<std::int32_t>& members) {
  for (std::int32_t y : members)
    for (const OverlapAllowance& a : problem.buffers[static_cast<std::size_t>(y)].overlaps)
      if (std::find(members.begin(), members.end(), a.with) != members.end()) return true;
  return false;
}

OverlapSearch::OverlapSearch(const Problem& problem, const std::vector<std::int32_t>& members)
    : n_(static_cast<std::int32_t>(members.size())) {
  const auto n = members.size();
  size_.resize(n);
  align_.resize(n);
  fixed_.resize(n);
  neighbours_.resize(n);
  partners_.resize(n);
  placed_.assign(n, 0);
  offset_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const Buffer& b = problem.buffers[static_cast<std::size_t>(members[i])];
    size_[i] = b.size;
    align_[i] = std::max<Bytes>(1, b.alignment);
    fixed_[i] = b.fixed_offset.value_or(kNoFixedOffset);
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      const Buffer& other = problem.buffers[static_cast<std::size_t>(members[j])];
      if (conflict(b, members[j], other)) neighbours_[i].push_back(static_cast<std::int32_t>(j));
      for (const OverlapAllowance& a : b.overlaps)
        if (a.with == members[j]) {
          partners_[i].push_back({static_cast<std::int32_t>(j), a.distance, true});
          partners_[j].push_back({static_cast<std::int32_t>(i), a.distance, false});
        }
    }
  }
}

// What the placed conflicting items occupy for `item` (overlap.h): each forbids the starts in
// (begin - size, end).
std::vector<OccupiedSegment> OverlapSearch::occupied_for(std::int32_t item) const {
  const auto i = static_cast<std::size_t>(item);
  std::vector<OccupiedSegment> occupied;
  for (std::int32_t j : neighbours_[i]) {
    const auto k = static_cast<std::size_t>(j);
    if (!placed_[k]) continue;
    auto partner =
        std::find_if(partners_[i].begin(), partners_[i].end(), [&](const Partner& p) { return p.other == j; });
    if (partner == partners_[i].end())
      occupied.push_back({offset_[k], offset_[k] + size_[k]});
    else
      occupied.push_back(
          occupied_by_partner({j, partner->distance, partner->self_is_output}, size_[i], offset_[k], size_[k]));
  }
  return occupied;
}

bool OverlapSearch::free_at(std::int32_t item, Bytes start) const {
  const Bytes size = size_[static_cast<std::size_t>(item)];
  for (const OccupiedSegment& s : occupied_for(item))
    if (s.begin - size < start && start < s.end) return false;
  return true;
}

// The lowest aligned start of `item` that the placed items leave free.
Bytes OverlapSearch::lowest_offset(std::int32_t item) const {
  const auto i = static_cast<std::size_t>(item);
  std::vector<OccupiedSegment> occupied = occupied_for(item);
  std::sort(occupied.begin(), occupied.end(),
            [](const OccupiedSegment& a, const OccupiedSegment& b) { return a.begin < b.begin; });
  Bytes cursor = 0;
  for (const OccupiedSegment& s : occupied) {
    if (s.begin - size_[i] >= cursor) break;
    cursor = std::max(cursor, (s.end + align_[i] - 1) / align_[i] * align_[i]);
  }
  return cursor;
}

Outcome OverlapSearch::decide(Bytes capacity, const Deadline& deadline, Packing& out) {
  capacity_ = capacity;
  deadline_ = &deadline;
  nodes_ = 0;
  aborted_ = false;
  std::fill(placed_.begin(), placed_.end(), 0);
  remaining_ = n_;
  // Pre-placed items first, at their offsets; they must be valid among themselves.
  for (std::int32_t i = 0; i < n_; ++i) {
    const auto k = static_cast<std::size_t>(i);
    if (fixed_[k] == kNoFixedOffset) continue;
    if (fixed_[k] + size_[k] > capacity || !free_at(i, fixed_[k])) return Outcome::infeasible;
    offset_[k] = fixed_[k];
    placed_[k] = 1;
    --remaining_;
  }
  const Outcome outcome = dfs();
  if (outcome == Outcome::found) {
    out.offsets = offset_;
    out.peak = 0;
    for (std::size_t k = 0; k < offset_.size(); ++k) out.peak = std::max(out.peak, offset_[k] + size_[k]);
  }
  return outcome;
}

Outcome OverlapSearch::dfs() {
  if (remaining_ == 0) return Outcome::found;
  if ((++nodes_ & 1023) == 0 && deadline_->passed()) aborted_ = true;
  if (aborted_) return Outcome::aborted;
  // Placing more items only forbids more starts, so an item that cannot fit now never will.
  std::vector<std::pair<Bytes, std::int32_t>> choices;
  for (std::int32_t i = 0; i < n_; ++i) {
    if (placed_[static_cast<std::size_t>(i)]) continue;
    const Bytes at = lowest_offset(i);
    if (at + size_[static_cast<std::size_t>(i)] > capacity_) return Outcome::infeasible;
    choices.push_back({at, i});
  }
  std::sort(choices.begin(), choices.end());  // lowest first: good plans early
  for (const auto& [at, i] : choices) {
    const auto k = static_cast<std::size_t>(i);
    placed_[k] = 1;
    offset_[k] = at;
    --remaining_;
    const Outcome outcome = dfs();
    ++remaining_;
    if (outcome != Outcome::infeasible) return outcome;  // found (offsets kept) or aborted
    placed_[k] = 0;
  }
  return Outcome::infeasible;
}

}  // namespace arenaplan::exact
