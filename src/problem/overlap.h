// Overlap allowances seen from both buffers of a pair, and the bytes each must avoid in the other
// (docs/overlap.md). Used by the placement algorithms and the lower bound; the checker has its
// own, separate test of the relation.
#pragma once

#include <cstdint>
#include <vector>

#include "arenaplan/problem.h"

namespace arenaplan {

struct OverlapPartner {
  std::int32_t other = -1;
  Bytes distance = 0;
  bool self_is_output = false;  // self is Y (holds the allowance), other is X
};

class OverlapIndex {
 public:
  explicit OverlapIndex(const Problem& problem);
  bool empty() const { return count_ == 0; }
  // Every allowance buffer i takes part in, sorted by partner.
  const std::vector<OverlapPartner>& partners(std::int32_t i) const {
    return partners_.empty() ? none_ : partners_[static_cast<std::size_t>(i)];
  }
  // The allowance between i and j (either way), or null.
  const OverlapPartner* find(std::int32_t i, std::int32_t j) const;

 private:
  std::vector<std::vector<OverlapPartner>> partners_;  // empty when no buffer has an allowance
  std::vector<OverlapPartner> none_;
  std::int64_t count_ = 0;
};

// What a placed partner occupies for the buffer being placed, as a segment [begin, end) of the
// gap search: the buffer (self_size bytes) may start at s when s + self_size <= begin or s >= end.
//   self = Y, other = X at x:  [x + max(|Y| - d, 0), x + |X|)
//   self = X, other = Y at y:  [y, y + min(d, |Y|))
// The first may have begin > end (a large Y over a small X): it still forbids the starts in
// (x - min(d, |Y|), x + |X|), which a gap search over segments sorted by begin handles as is.
struct OccupiedSegment {
  Bytes begin = 0;
  Bytes end = 0;
};
OccupiedSegment occupied_by_partner(const OverlapPartner& partner, Bytes self_size, Bytes other_offset,
                                    Bytes other_size);

// The bytes a pair (X, Y, distance d) covers at least, wherever a valid plan puts them in one
// pool: max(|X| + d, |Y|) when they may overlap, and never more than |X| + |Y|.
Bytes pair_footprint(Bytes x_size, Bytes y_size, Bytes distance);

// Checks the allowances of a normalised problem (indices, distances, pools, live ranges, no
// cycles) and sorts them; throws InputError naming `source`. Called by normalise().
void normalise_overlaps(Problem& problem, std::string_view source);

}  // namespace arenaplan
