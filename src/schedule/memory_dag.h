// The scheduler's model of a program: operators that create and read storages (buffers), each
// storage freed after the last operator that reads it, plus each operator's scratch bytes while it
// runs. The peak of an order is the largest sum of bytes live while one operator runs.
#pragma once

#include <cstdint>
#include <vector>

#include "arenaplan/problem.h"

namespace arenaplan::schedule {

struct MemoryDag {
  struct Storage {
    Bytes bytes = 0;
    std::int32_t creator = -1;          // the operator that writes it first; -1: live from the start
    bool pinned = false;                // never freed (graph outputs, variables)
    std::vector<std::int32_t> readers;  // operators that read it (sorted, unique)
  };
  std::vector<Storage> storages;
  std::vector<Bytes> scratch;                      // per operator
  std::vector<std::vector<std::int32_t>> creates;  // per operator: storages it creates
  std::vector<std::vector<std::int32_t>> reads;    // per operator: storages it reads
  std::vector<std::vector<std::int32_t>> after;    // per operator: operators that must run before it

  std::int32_t operators() const { return static_cast<std::int32_t>(scratch.size()); }
  // Fills `after` from creators and readers (and the extra edges already in it), sorted, unique.
  void derive_dependencies();
};

// The peak of running the operators in `order` (a topological order), recomputed from scratch.
Bytes peak_of_order(const MemoryDag& dag, const std::vector<std::int32_t>& order);

// No order's peak is below this: every operator needs its inputs, outputs and scratch at once.
Bytes any_order_bound(const MemoryDag& dag);

// A memory-greedy order: among the operators ready to run, the one whose run needs the fewest
// bytes, then the one that leaves the fewest live, then the earliest in file order.
std::vector<std::int32_t> greedy_order(const MemoryDag& dag);

struct ExactResult {
  bool finished = false;            // searched every state: `order` is optimal (or none beats the bound)
  std::vector<std::int32_t> order;  // empty when no order beats `below`
  Bytes peak = 0;
  std::int64_t states = 0;
};
// The order of least peak among those with a peak below `below` (dynamic programming over the
// sets of finished operators). Stops unfinished after `max_states` states (fewer on large graphs:
// about 10^8 / operators).
ExactResult exact_order(const MemoryDag& dag, Bytes below, std::int64_t max_states);

// The same search keeping only the `width` best sets of each level (least peak, then fewest live
// bytes): a heuristic that always ends with an order, exact when no level outgrows the width.
// `finished` says whether it was (no level was cut).
ExactResult beam_order(const MemoryDag& dag, std::int64_t width);

}  // namespace arenaplan::schedule
