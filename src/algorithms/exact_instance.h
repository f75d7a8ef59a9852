// The exact solver's view of one independent part of one pool: items (buffers) with sizes,
// alignments and optional fixed offsets, their conflicts, and a set of cliques (sets of items
// that pairwise conflict, e.g. the buffers live in one section of the timeline). The search
// (exact_search.h) only sees this; exact_interval.cpp and exact_conflict.cpp build it.
#pragma once

#include <cstdint>
#include <vector>

#include "arenaplan/problem.h"

namespace arenaplan::exact {

constexpr Bytes kNoFixedOffset = -1;

struct Item {
  Bytes size = 0;
  Bytes alignment = 1;
  Bytes fixed = kNoFixedOffset;  // pre-placed offset, or kNoFixedOffset
  // Ordering features (larger first in the static preorders).
  std::int64_t width = 0;  // total length of the live ranges (degree when there is no timeline)
  std::int64_t first = 0;  // first step live (0 without a timeline)
  std::int64_t total = 0;  // heaviest clique the item belongs to (sum of sizes)
};

struct Instance {
  std::vector<Item> items;
  std::vector<std::vector<std::int32_t>> neighbours;  // symmetric conflict lists
  std::vector<std::vector<std::int32_t>> cliques;     // every item is in at least one
  std::vector<std::vector<std::int32_t>> item_cliques;
  // Cliques are the sections of a timeline in time order: an item's cliques form a contiguous
  // range, and a boundary no unplaced item crosses splits the rest into independent parts.
  bool timeline = false;

  std::int32_t size() const { return static_cast<std::int32_t>(items.size()); }
  // The heaviest clique (a lower bound on the peak), also counting fixed items' tops.
  Bytes lower_bound() const;
  // Fills item_cliques and Item::total from cliques; call after cliques are set.
  void finish();
};

// Builds the instance of `members` (buffer indices of `problem`), all in one pool, whose
// conflicts come from live ranges only (Problem::interval_only()): cliques are the sections of
// the timeline (maximal spans with a constant live set).
Instance build_interval_instance(const Problem& problem, const std::vector<std::int32_t>& members);

// Builds the instance of `members` for a general conflict graph (explicit conflicts and/or live
// ranges): cliques are the live sections plus one greedy maximal clique per item.
Instance build_conflict_instance(const Problem& problem, const std::vector<std::int32_t>& members);

// Splits `members` into groups that share no conflict (connected components), each sorted.
std::vector<std::vector<std::int32_t>> split_components(const Problem& problem,
                                                        const std::vector<std::int32_t>& members);

}  // namespace arenaplan::exact
