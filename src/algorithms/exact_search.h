// The depth-first search at the heart of the exact solver: decides whether every item of an
// Instance fits below a capacity, for one static preorder of the items.
//
// Every placement is canonical (MiniMalloc's rules): an item goes at its candidate offset, the
// lowest aligned offset above the placed items it conflicts with (or its fixed offset); items are
// placed in non-decreasing (offset, preorder) order; an item whose candidate is at or above the
// lowest top any unplaced item could reach is dominated; identical items keep their preorder.
// Pruning: every clique's unplaced items must stack above the clique's floor within the
// capacity; a placement that raised no other item's candidate is not re-tried with siblings.
// On a timeline, once no unplaced item crosses a section boundary the parts on either side are
// searched independently (MiniMalloc's dynamic decomposition): a part that fails is not retried
// for every alternative of the other part.
// State changes are recorded on a trail and undone in place (no copies per node).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "algorithms/exact_instance.h"
#include "arenaplan/algorithm.h"

namespace arenaplan::exact {

enum class Outcome { found, infeasible, aborted };

class Search {
 public:
  // `preorder` is a permutation of the instance's items, highest priority first, made by the
  // sort keys `keys` (see make_preorder); the parts of a decomposition are re-ranked by the same
  // keys with the clique totals of what is left (as MiniMalloc re-sorts each sub-partition).
  Search(const Instance& instance, const std::vector<std::int32_t>& preorder, std::string keys);

  // Looks for offsets with every item's end <= capacity. Stops with `aborted` after
  // `node_limit` nodes (negative: no limit) or when `budget` (may be null) has run out; charges
  // the budget a unit per node and per unplaced item a node looks at.
  Outcome run(Bytes capacity, std::int64_t node_limit, const Budget* budget);

  // After `found`: the offset of every item (instance order), and their highest end.
  const std::vector<Bytes>& offsets() const { return solution_; }
  Bytes peak() const { return solution_peak_; }
  std::int64_t nodes() const { return nodes_; }

 private:
  struct TrailEntry {
    Bytes* where;
    Bytes old;
  };

  Outcome dfs(Bytes last_offset, std::int32_t last_rank, Bytes max_sum, std::int32_t lo, std::int32_t hi);
  bool apply(std::int32_t p, Bytes offset, bool& raised, Bytes& max_sum, std::int32_t lo, std::int32_t hi);
  // Splits the listed items at the zero cuts in sections [lo, hi]; returns false when they do
  // not fall into two or more parts, else the outcome of searching each part in turn.
  bool decompose(std::int32_t lo, std::int32_t hi, Outcome& outcome);
  Bytes max_sum_in(std::int32_t lo, std::int32_t hi) const;
  void relink(const std::vector<std::int32_t>& positions);
  void rerank(std::vector<std::int32_t>& part);
  void undo(std::int32_t p, std::size_t mark);
  void set(Bytes& where, Bytes value) {
    trail_.push_back({&where, where});
    where = value;
  }
  void rescan(std::int32_t s);
  void touch(std::int32_t s);
  void reset(Bytes capacity);

  // Static data, indexed by preorder position.
  std::int32_t n_ = 0;
  std::vector<std::int32_t> item_of_;  // position -> instance item
  std::vector<Bytes> size_, align_, fixed_;
  std::vector<std::vector<std::int32_t>> neighbours_, cliques_of_, members_;
  std::vector<std::int32_t> twin_before_;  // identical item earlier in the preorder, or -1
  bool timeline_ = false;
  std::string keys_;
  std::vector<std::int64_t> width_, first_;      // ordering features
  std::vector<std::int32_t> rank_;               // tie-break of the canonical order (preorder position at first)
  std::vector<std::int32_t> span_lo_, span_hi_;  // first and last section of each item
  std::vector<std::int32_t> cut_;                // unplaced items crossing boundary s | s+1
  bool new_cut_ = false;                         // the last apply() brought a cut to zero

  // Search state.
  Bytes capacity_ = 0;
  std::int64_t node_limit_ = -1, nodes_ = 0;
  const Budget* budget_ = nullptr;
  std::int64_t work_ = 0;  // not yet charged to budget_
  bool timed_out_ = false;
  std::int32_t remaining_ = 0;
  std::vector<std::uint8_t> placed_;
  std::vector<Bytes> offset_, floor_, cand_;
  std::vector<std::int32_t> next_, prev_;                // unplaced positions, doubly linked; n_ is the head
  std::vector<Bytes> top_, sum_, min_cand_, min_count_;  // per clique
  std::vector<std::uint32_t> stamp_;
  std::uint32_t stamp_now_ = 0;
  std::vector<std::int32_t> dirty_;
  std::vector<TrailEntry> trail_;
  std::vector<std::int32_t> stack_;

  std::vector<Bytes> solution_;
  Bytes solution_peak_ = 0;
};

}  // namespace arenaplan::exact
