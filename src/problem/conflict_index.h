// Answers "which buffers conflict with buffer i" without building O(n^2) conflict lists:
// explicit conflicts come from the normalised lists; live-range conflicts from an interval tree.
#pragma once

#include <cstdint>
#include <vector>

#include "arenaplan/problem.h"
#include "problem/overlap.h"

namespace arenaplan {

class ConflictIndex {
 public:
  explicit ConflictIndex(const Problem& problem);

  // Calls f(j) for every buffer j != i that conflicts with i. A j may be reported more than once
  // (once per overlapping live range, and again if it is also an explicit conflict).
  template <typename F>
  void for_each_neighbor(std::int32_t i, F&& f) const {
    const Buffer& b = problem_.buffers[i];
    for (std::int32_t j : b.conflicts) f(j);
    for (const Interval& r : b.live) query(0, static_cast<std::int64_t>(ranges_.size()), r, i, f);
  }

  // Sorted, unique neighbours of i.
  std::vector<std::int32_t> neighbors(std::int32_t i) const;

  const Problem& problem() const { return problem_; }
  // The overlap allowances, which relax some of these conflicts for the placements that use them.
  const OverlapIndex& overlaps() const { return overlaps_; }

 private:
  struct Range {
    Step first;
    Step last;
    std::int32_t buffer;
  };

  // Implicit balanced tree over ranges_ (sorted by first): the node of [lo, hi) is its middle,
  // and max_last_[mid] is the largest `last` in [lo, hi).
  template <typename F>
  void query(std::int64_t lo, std::int64_t hi, const Interval& r, std::int32_t self, F& f) const {
    while (lo < hi) {
      const std::int64_t mid = lo + (hi - lo) / 2;
      if (max_last_[mid] <= r.first) return;  // nothing in [lo, hi) reaches r
      query(lo, mid, r, self, f);
      const Range& x = ranges_[mid];
      if (x.first >= r.last) return;  // mid and everything right of it start after r
      if (x.last > r.first && x.buffer != self) f(x.buffer);
      lo = mid + 1;
    }
  }

  Step build(std::int64_t lo, std::int64_t hi);

  const Problem& problem_;
  OverlapIndex overlaps_;
  std::vector<Range> ranges_;
  std::vector<Step> max_last_;
};

}  // namespace arenaplan
