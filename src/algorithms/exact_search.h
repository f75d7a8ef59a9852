// The depth-first search at the heart of the exact solver: decides whether every item of an
// Instance fits below a capacity, for one static preorder of the items. It applies the rules of
// MiniMalloc (Moffitt, ASPLOS 2023), each a named step in exact_search.cpp:
//   canonical placement  an item goes at its candidate offset, the lowest aligned offset above the
//                        placed items it conflicts with (or its fixed offset), and items are placed
//                        in non-decreasing (offset, rank) order (MiniMalloc's canonical solutions
//                        and monotonic floor);
//   dominance            an item whose candidate is at or above the lowest top any unplaced item
//                        could reach is not placed there; identical items keep their preorder;
//   section inference    every clique's unplaced items must stack above the clique's floor (its
//                        placed tops, its unplaced items' lowest candidate, the current offset)
//                        within the capacity;
//   cover rule           a clique with no slack left at the lowest level must get an item there:
//                        once the last branch that could cover it is passed, the siblings fail,
//                        and a clique only one branch can cover makes that the node's one branch
//                        (in a zero-waste packing, every node branches on the coverers of the
//                        clique with the fewest);
//   decomposition        on a timeline, once no unplaced item crosses a section boundary the parts
//                        on either side are searched independently, each re-ranked by the
//                        preorder's keys (MiniMalloc's dynamic decomposition): a part that fails
//                        is not retried for every alternative of the other part.
// Besides: a placement that raised no other item's candidate is not re-tried with its siblings.
// Every state change is recorded on one trail and undone in place (no copies per node).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "algorithms/exact_instance.h"
#include "algorithms/exact_order.h"
#include "arenaplan/algorithm.h"

namespace arenaplan::exact {

enum class Outcome { found, infeasible, aborted };

// Lets a search run in slices (exact_driver.cpp's runners): at its node limit it pauses instead
// of stopping, so the next slice goes on from there instead of searching the same nodes again.
class Gate {
 public:
  virtual ~Gate() = default;
  // At every budget poll: the work charged to the slice's budget so far.
  virtual void poll(std::int64_t work) = 0;
  // At the node limit, once the slice's work is charged: blocks until the next slice (its limit
  // and budget set with Search::next_slice) and returns true, or returns false to stop.
  virtual bool pause() = 0;
};

class Search {
 public:
  // `preorder` is a permutation of the instance's items, highest priority first, made by the
  // sort keys `keys` (see make_preorder); the parts of a decomposition are re-ranked by the same
  // keys with the clique totals of what is left (as MiniMalloc re-sorts each sub-partition).
  Search(const Instance& instance, const std::vector<std::int32_t>& preorder, std::string keys);

  // Looks for offsets with every item's end <= capacity. Stops with `aborted` after
  // `node_limit` nodes (negative: no limit) or when `budget` (may be null) has run out; charges
  // the budget a unit per node and per unplaced item a node looks at (and per 16 neighbours and
  // clique members it scans). With a `gate`, it pauses at the node limit (see Gate).
  Outcome run(Bytes capacity, std::int64_t node_limit, const Budget* budget, Gate* gate = nullptr);
  // While paused: the next slice's node limit (nodes in all, since run began) and budget.
  void next_slice(std::int64_t node_limit, const Budget* budget) {
    effort_.node_limit = node_limit;
    effort_.budget = budget;
  }

  // After `found`: the offset of every item (instance order), and their highest end.
  const std::vector<Bytes>& offsets() const { return solution_; }
  Bytes peak() const { return solution_peak_; }
  std::int64_t nodes() const { return effort_.nodes; }

 private:
  // The items, by preorder position p; fixed for the search's life.
  struct Items {
    std::vector<std::int32_t> instance_index;  // p -> instance item
    std::vector<Bytes> size, alignment, fixed;
    std::vector<std::vector<std::int32_t>> neighbours;      // conflicting positions, ascending
    std::vector<std::vector<std::int32_t>> cliques;         // the cliques holding p
    std::vector<std::int32_t> twin_before;                  // an identical item earlier in the preorder, or -1
    std::vector<std::int32_t> first_section, last_section;  // first and last clique (timeline sections)
    std::vector<OrderFeatures> features;                    // sort keys (`total` set when re-ranking)
  };

  // Where each item stands, by position.
  struct ItemState {
    std::vector<std::uint8_t> placed;
    std::vector<Bytes> offset;     // while placed
    std::vector<Bytes> floor;      // highest top of the placed items it conflicts with
    std::vector<Bytes> candidate;  // its canonical offset: `floor` aligned up, or its fixed offset
    // Tie-break of the canonical order: the preorder position, or the re-ranked order within a
    // decomposition's part (64-bit so that the trail restores it like every other cell).
    std::vector<std::int64_t> rank;
  };

  // The unplaced items of the part being searched, in rank order: a doubly linked list over
  // positions, with position n as its head.
  struct Unplaced {
    std::vector<std::int32_t> next, prev;
    std::int32_t head = 0;

    struct Iterator {
      const std::int32_t* next;
      std::int32_t p;
      std::int32_t operator*() const { return p; }
      Iterator& operator++() {
        p = next[p];
        return *this;
      }
      bool operator!=(const Iterator& other) const { return p != other.p; }
    };
    Iterator begin() const { return {next.data(), next[head]}; }
    Iterator end() const { return {next.data(), head}; }
    bool empty() const { return next[head] == head; }
    void remove(std::int32_t p) {
      next[prev[p]] = next[p];
      prev[next[p]] = prev[p];
    }
    void restore(std::int32_t p) {  // undoes remove(p), in reverse order of removal
      next[prev[p]] = p;
      prev[next[p]] = p;
    }
    void assign(const std::vector<std::int32_t>& positions);
  };

  // A clique's state: its unplaced items stack above its placed ones.
  struct Clique {
    Bytes top = 0;            // highest top of its placed items
    Bytes sum = 0;            // total size of its unplaced items
    Bytes min_candidate = 0;  // lowest candidate among its unplaced items...
    Bytes min_count = 0;      // ...and how many have it
    std::uint32_t stamp = 0;  // equal to Scratch::stamp once touched by the current placement
  };

  // A range of sections (cliques of a timeline), both ends included.
  struct Span {
    std::int32_t lo = 0, hi = 0;
  };

  // What one placement did, for the caller's pruning.
  struct Effects {
    bool raised = false;   // some unplaced item's floor rose
    bool new_cut = false;  // a section boundary inside the span is no longer crossed
  };

  // How much the current run has searched, and its limits.
  struct Effort {
    Bytes capacity = 0;
    std::int64_t node_limit = -1, nodes = 0;
    const Budget* budget = nullptr;
    Gate* gate = nullptr;
    std::int64_t unbilled = 0;  // work not yet charged to `budget`
    bool stopped = false;       // the budget ran out
  };

  // One undo trail for every change: a cell's old value, or (cell == nullptr) the placement of
  // position `old`, undone by unplace().
  struct Change {
    Bytes* cell;
    Bytes old;
  };

  // Reused buffers: the branches of every open node (a stack), and the cliques the current
  // placement touched.
  struct Scratch {
    std::vector<std::int32_t> branches;
    std::vector<std::int32_t> touched;
    std::uint32_t stamp = 0;
    // By clique, for the cover rule: the node that last counted the branches covering it, how
    // many there were, and the last one's place on the branch stack.
    std::vector<std::uint64_t> cover_node;
    std::vector<std::int32_t> coverers;
    std::vector<std::size_t> last_cover;
    std::uint64_t cover_stamp = 0;
  };

  void find_twins();
  void reset(Bytes capacity);
  Outcome dfs(Bytes last_offset, std::int64_t last_rank, Bytes max_sum, Span span);
  bool count_node();
  void record_solution();
  Bytes lowest_reachable_top();
  void collect_branches(Bytes last_offset, std::int64_t last_rank, Bytes min_top);
  // The branches the cover rule leaves: [begin, stop), or (clique >= 0) those covering that clique.
  struct Cover {
    std::size_t stop;
    std::int32_t clique;
  };
  Cover cover_rule(std::size_t begin, std::size_t end, Span span);
  bool place(std::int32_t p, Bytes offset, Span span, Bytes& max_sum, Effects& effects);
  bool mark_placed(std::int32_t p, Bytes offset, Span span);
  void update_cliques_of(std::int32_t p, Bytes top);
  bool raise_neighbours(std::int32_t p, Bytes top, bool& raised);
  bool sections_fit(Bytes offset, Bytes& max_sum, Span span);
  bool decompose(Span span, Outcome& outcome);
  void rerank(const std::vector<std::int32_t>& part);
  Bytes heaviest_clique(Span span) const;
  struct Lowest {
    Bytes candidate, count;
  };
  Lowest lowest_candidate(std::int32_t s) const;  // among the clique's unplaced items
  void rescan(std::int32_t s);
  void touch(std::int32_t s);
  void set(Bytes& cell, Bytes value) {
    trail_.push_back({&cell, cell});
    cell = value;
  }
  void undo_to(std::size_t mark);
  void unplace(std::int32_t p);

  std::int32_t n_ = 0;
  std::string keys_;
  bool cover_first_ = false;  // every clique is full at the capacity (see cover_rule)
  bool timeline_ = false;
  Items items_;
  std::vector<std::vector<std::int32_t>> members_;  // by clique: its positions, ascending

  ItemState state_;
  Unplaced unplaced_;
  std::vector<Clique> cliques_;
  std::vector<std::int32_t> crossing_;  // by boundary s | s+1: unplaced items crossing it (timeline)
  std::vector<Change> trail_;
  Effort effort_;
  Scratch scratch_;

  std::vector<Bytes> solution_;
  Bytes solution_peak_ = 0;
};

}  // namespace arenaplan::exact
