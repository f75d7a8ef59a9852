// arenaplan's own lifetimes: stage-level steps, so an input read only in an operator's first
// stage is dead in its later stages.
#include <algorithm>

#include "lowering/lifetimes.h"

namespace arenaplan::lowering {

Lifetimes stage_lifetimes(const Graph& graph, const std::vector<OperatorMemory>& memory) {
  Lifetimes out;
  Step step = 0;
  for (const OperatorMemory& m : memory) {
    out.operators.push_back({step, step + m.stages});
    step += m.stages;
  }
  out.steps = std::max<Step>(step, 1);

  // Hull of the steps at which each tensor is touched: written (from the operator's output
  // stage) or read (up to the last stage that reads that operand).
  std::vector<Step> first(graph.tensors.size(), out.steps), last(graph.tensors.size(), -1);
  auto touch = [&](std::int32_t t, Step from, Step to) {
    first[t] = std::min(first[t], from);
    last[t] = std::max(last[t], to);
  };
  std::vector<bool> written(graph.tensors.size(), false);
  for (std::size_t i = 0; i < graph.operators.size(); ++i) {
    const Operator& op = graph.operators[i];
    const Step start = out.operators[i].first;
    for (std::int32_t t : op.outputs) {
      touch(t, start + memory[i].output_first_stage, start + memory[i].output_first_stage);
      written[t] = true;
    }
    for (std::size_t j = 0; j < op.inputs.size(); ++j)
      if (op.inputs[j] >= 0)
        touch(op.inputs[j], start + memory[i].last_stage_reading(j), start + memory[i].last_stage_reading(j));
  }

  out.tensors.resize(graph.tensors.size());
  for (std::size_t t = 0; t < graph.tensors.size(); ++t) {
    const Tensor& tensor = graph.tensors[t];
    const bool used = last[t] >= 0 || tensor.is_input || tensor.is_output;
    if (!used) continue;
    Step from = first[t], to = last[t] + 1;
    // Inputs, variables and tensors nobody writes exist before the first operator runs.
    if (tensor.is_input || tensor.is_variable || !written[t]) from = 0;
    // Outputs and variables are needed until the end.
    if (tensor.is_output || tensor.is_variable) to = out.steps;
    to = std::max(to, from + 1);
    out.tensors[t] = Interval{from, to};
  }

  out.scratch.resize(graph.operators.size());
  for (std::size_t i = 0; i < graph.operators.size(); ++i)
    for (const ScratchRequest& s : memory[i].scratch)
      out.scratch[i].push_back({out.operators[i].first + s.first_stage, out.operators[i].first + s.last_stage + 1});
  return out;
}

}  // namespace arenaplan::lowering
