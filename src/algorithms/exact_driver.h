// Runs the exact search on one Instance: a decision at a capacity (several static orders
// round-robin with doubling node limits, so a single thread is not stuck in one order's heavy
// tail; each order goes on where its last round stopped; the orders of a round side by side on
// several threads, with the result, the work charged and the work units of one thread) and a
// greedy dive for a first plan.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "algorithms/exact_instance.h"
#include "algorithms/exact_search.h"
#include "arenaplan/algorithm.h"

namespace arenaplan::exact {

struct Packing {
  std::vector<Bytes> offsets;  // per item
  Bytes peak = 0;
};

class Solver {
 public:
  // Orders: "WAT", "TAW", "TWA" (the keys of exact_order.h); the seed adds one shuffled-tie
  // order when non-zero. `threads`: how many orders of a round run at once.
  Solver(const Instance& instance, std::uint64_t seed, unsigned threads = 1);
  Solver(const Solver&) = delete;
  Solver& operator=(const Solver&) = delete;

  // Is there a placement with peak <= capacity? On `found`, `out` holds it. A decision that ran
  // out of budget resumes at the node limit it had reached when asked again for the same capacity.
  Outcome decide(Bytes capacity, const Budget& budget, Packing& out);
  // A quick placement (first leaf of each order without a capacity); false if none exists
  // (pre-placed items overlap).
  bool dive(Packing& out);
  std::int64_t nodes() const { return nodes_; }

 private:
  const Instance& instance_;
  unsigned threads_;
  std::vector<std::unique_ptr<Search>> searches_;
  std::int64_t nodes_ = 0;
  std::map<Bytes, std::int64_t> resume_limit_;
};

// Static preorder of the items for a key string (exact_order.h); `seed` shuffles the ties.
std::vector<std::int32_t> make_preorder(const Instance& instance, const std::string& keys, std::uint64_t seed);

}  // namespace arenaplan::exact
