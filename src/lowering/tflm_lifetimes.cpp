// TFLite Micro's lifetimes (micro_allocation_info.cc, AllocationInfoBuilder::
// MarkAllocationLifetimes), for one subgraph. TFLM's closed [first_created, last_used] scopes
// are stored as half-open [first, last + 1).
#include <algorithm>

#include "lowering/lifetimes.h"

namespace arenaplan::lowering {

Lifetimes tflm_lifetimes(const Graph& graph, const std::vector<OperatorMemory>& memory) {
  const auto op_count = static_cast<Step>(graph.operators.size());
  std::vector<Step> first(graph.tensors.size(), -1), last(graph.tensors.size(), -1);
  // Subgraph entry, scope 0: inputs are created and used, so unused inputs get a lifetime.
  for (std::int32_t t : graph.inputs) first[t] = last[t] = 0;
  Lifetimes out;
  out.scratch.resize(graph.operators.size());
  for (std::size_t i = 0; i < graph.operators.size(); ++i) {
    const Operator& op = graph.operators[i];
    const Step scope = static_cast<Step>(i) + 1;
    out.operators.push_back({scope, scope + 1});
    for (std::int32_t t : op.outputs)
      if (first[t] == -1) first[t] = scope;
    for (std::int32_t t : op.inputs)
      if (t >= 0) last[t] = scope;
    for (std::int32_t t : op.outputs) last[t] = scope;
    // Scratch requests of this operator: alive exactly during its scope.
    for (std::size_t k = 0; k < memory[i].scratch.size(); ++k) out.scratch[i].push_back({scope, scope + 1});
  }
  // Subgraph exit: outputs are used until the final scope.
  for (std::int32_t t : graph.outputs) last[t] = op_count;
  out.steps = op_count + 1;

  out.tensors.resize(graph.tensors.size());
  for (std::size_t t = 0; t < graph.tensors.size(); ++t) {
    if (last[t] < 0 && first[t] < 0) continue;  // never touched
    Step from = first[t], to = last[t];
    if (from < 0) from = 0;  // read but never created: TFLM leaves first_created at -1 ("before the start")
    if (to < from) to = from;
    if (graph.tensors[t].is_variable) {
      from = 0;
      to = op_count;
    }
    out.tensors[t] = Interval{from, to + 1};
  }
  return out;
}

}  // namespace arenaplan::lowering
