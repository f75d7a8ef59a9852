// The exact search for a part of a pool whose buffers hold overlap allowances (docs/overlap.md).
// The skyline search (exact_search.h) relies on conflicting items never sharing bytes, so parts
// with allowances get this simpler one: depth first over placement orders, each item at the
// lowest aligned offset the items placed before it leave free under the overlap relation.
//
// Why it is complete: take any valid placement o and place the items in the order of o
// (ascending offset; at equal offsets an output Y before the input X it may overlap, which
// exists because allowances have no cycle). By induction each item lands at o' <= o: o itself
// is still free, since for every earlier item j (o'_j <= o_j <= o_i) a plain conflict stays
// disjoint when j moves down, an allowance where i is the input X (o_j <= o_i - d) still holds
// when j moves down, and an allowance where i is the output Y placed after X needs o_i <= o_j -
// d with o_j <= o_i, i.e. d = 0 and o_j = o_i, which the tie rule excludes. Pre-placed items go
// first at their offsets and never move. So some order gives a peak no larger than o's, and
// trying every order finds the optimum.
#pragma once

#include <cstdint>
#include <vector>

#include "algorithms/exact_driver.h"
#include "arenaplan/algorithm.h"
#include "arenaplan/problem.h"
#include "problem/overlap.h"

namespace arenaplan::exact {

// Largest part searched this way (the search tries up to n! orders).
constexpr std::size_t kOverlapLimit = 10;

// True when two of `members` hold an allowance with each other.
bool has_allowances_within(const Problem& problem, const std::vector<std::int32_t>& members);

class OverlapSearch {
 public:
  OverlapSearch(const Problem& problem, const std::vector<std::int32_t>& members);
  // Is there a placement with every end <= capacity? On `found`, `out` holds it.
  Outcome decide(Bytes capacity, const Deadline& deadline, Packing& out);

 private:
  struct Partner {
    std::int32_t other;
    Bytes distance;
    bool self_is_output;
  };
  std::vector<OccupiedSegment> occupied_for(std::int32_t item) const;
  bool free_at(std::int32_t item, Bytes start) const;
  Bytes lowest_offset(std::int32_t item) const;
  Outcome dfs();

  std::int32_t n_ = 0;
  std::vector<Bytes> size_, align_, fixed_;
  std::vector<std::vector<std::int32_t>> neighbours_;
  std::vector<std::vector<Partner>> partners_;
  // Search state.
  Bytes capacity_ = 0;
  const Deadline* deadline_ = nullptr;
  std::int64_t nodes_ = 0;
  bool aborted_ = false;
  std::vector<char> placed_;
  std::vector<Bytes> offset_;
  std::int32_t remaining_ = 0;
};

}  // namespace arenaplan::exact
