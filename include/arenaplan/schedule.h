// Memory-aware operator scheduling: the order in which a graph's operators run is a planning
// variable. On a branched graph (Inception/SqueezeNet modules, FPN heads, detection branches) the
// order of independent branches changes which tensors are live together, and so the peak itself.
//
// The scheduler works on the lowered model's buffers (every tensor whole from the operator that
// writes it to the last that reads it, aliases sharing their source's bytes, each operator's
// scratch while it runs) and searches the orders exactly (dynamic programming over the sets of
// finished operators, pruned by the best peak found, as Serenity does) when the number of states
// stays within a limit, else a beam search (the same search keeping the best sets of each size),
// and keeps the best of that, a memory-greedy order and the file order. The
// chosen order replaces the file order only when the lowered model's lower bound drops, so a
// schedule is never worse than the file order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arenaplan/graph.h"
#include "arenaplan/lowering.h"

namespace arenaplan {

enum class ScheduleKind {
  file,    // the model's own operator order (TFLite Micro and TVM run operators in file order)
  memory,  // the order with the lowest peak the scheduler finds
};

struct ScheduleOptions {
  ScheduleKind kind = ScheduleKind::memory;
  std::int64_t max_states = 1'000'000;  // of the exact search; beyond it, the greedy order
};

struct ScheduleResult {
  Graph graph;                      // the input graph with its operators in the chosen order
  std::vector<std::int32_t> order;  // order[k]: index in the input graph of the k-th operator run
  bool reordered = false;           // the order differs from the file order
  std::string method;               // "file", "exact" (proven for the schedule's model), "beam"
  Bytes file_order_peak = 0;        // the schedule's peak in file order (whole tensors)
  Bytes chosen_peak = 0;            // the same in the chosen order
  Bytes any_order_bound = 0;        // no order can go below it (exact: the optimum itself)
  Bytes operator_bound = 0;         // the most one operator needs in any order (inputs, outputs, scratch)
  std::int64_t states = 0;          // states the exact search visited
};

// The graph with its operators in `order` (a permutation of their indices that respects the
// data dependencies; InputError otherwise). Tensors keep their indices.
Graph with_operator_order(const Graph& graph, const std::vector<std::int32_t>& order);

// Chooses the operator order of `graph` for the kernels and conventions of `lowering`.
ScheduleResult schedule_operators(const Graph& graph, const LoweringOptions& lowering, const ScheduleOptions& options);

}  // namespace arenaplan
