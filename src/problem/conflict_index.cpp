#include "problem/conflict_index.h"

#include <algorithm>
#include <limits>

namespace arenaplan {

ConflictIndex::ConflictIndex(const Problem& problem) : problem_(problem), overlaps_(problem) {
  for (std::size_t i = 0; i < problem.buffers.size(); ++i)
    for (const Interval& r : problem.buffers[i].live)
      ranges_.push_back({r.first, r.last, static_cast<std::int32_t>(i)});
  std::sort(ranges_.begin(), ranges_.end(), [](const Range& a, const Range& b) {
    return a.first < b.first || (a.first == b.first && (a.last < b.last || (a.last == b.last && a.buffer < b.buffer)));
  });
  max_last_.assign(ranges_.size(), std::numeric_limits<Step>::min());
  build(0, static_cast<std::int64_t>(ranges_.size()));
}

Step ConflictIndex::build(std::int64_t lo, std::int64_t hi) {
  if (lo >= hi) return std::numeric_limits<Step>::min();
  const std::int64_t mid = lo + (hi - lo) / 2;
  const Step left = build(lo, mid);
  const Step right = build(mid + 1, hi);
  max_last_[mid] = std::max({left, right, ranges_[mid].last});
  return max_last_[mid];
}

std::vector<std::int32_t> ConflictIndex::neighbors(std::int32_t i) const {
  std::vector<std::int32_t> out;
  for_each_neighbor(i, [&](std::int32_t j) { out.push_back(j); });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace arenaplan
