// Labels for the memory map of a planned model: operator names on the timeline and, per buffer,
// the operators that write and read it. Reads the Graph and the lowering; changes neither.
#include <algorithm>

#include <fmt/format.h>

#include "arenaplan/graph.h"
#include "arenaplan/lowering.h"
#include "arenaplan/memory_map.h"

namespace arenaplan {

MapLabels model_map_labels(const Graph& graph, const LoweredModel& lowered, const std::string& title) {
  MapLabels labels;
  labels.title = title;
  for (std::size_t i = 0; i < lowered.operator_steps.size() && i < graph.operators.size(); ++i)
    labels.steps.push_back({lowered.operator_steps[i], fmt::format("{} {}", i, graph.operators[i].opcode)});
  std::stable_sort(labels.steps.begin(), labels.steps.end(),
                   [](const StepLabel& a, const StepLabel& b) { return a.steps.first < b.steps.first; });

  const std::size_t n = lowered.problem.buffers.size();
  std::vector<std::vector<std::string>> notes(n);
  const std::vector<std::int32_t> producers = graph.producers();
  const std::vector<std::vector<std::int32_t>> consumers = graph.consumers();
  auto op_name = [&](std::int32_t i) {
    return fmt::format("{} {}", i, graph.operators[static_cast<std::size_t>(i)].opcode);
  };
  for (std::size_t t = 0; t < lowered.tensor_buffer.size() && t < graph.tensors.size(); ++t) {
    const std::int32_t b = lowered.tensor_buffer[t];
    if (b < 0 || static_cast<std::size_t>(b) >= n) continue;
    std::vector<std::string>& note = notes[static_cast<std::size_t>(b)];
    const Tensor& tensor = graph.tensors[t];
    std::string line = fmt::format("tensor {} '{}'", t, tensor.name);
    if (tensor.is_input) line += " (graph input)";
    if (tensor.is_output) line += " (graph output)";
    if (producers[t] >= 0) line += "; written by " + op_name(producers[t]);
    if (!consumers[t].empty()) {
      line += "; read by ";
      for (std::size_t k = 0; k < consumers[t].size(); ++k) line += (k ? ", " : "") + op_name(consumers[t][k]);
    }
    note.push_back(std::move(line));
  }
  for (std::size_t b = 0; b < n; ++b) {
    const Buffer& buffer = lowered.problem.buffers[b];
    if (buffer.op && *buffer.op >= 0 && static_cast<std::size_t>(*buffer.op) < graph.operators.size())
      notes[b].push_back("scratch of " + op_name(static_cast<std::int32_t>(*buffer.op)));
  }
  labels.touched_by.resize(n);
  for (std::size_t b = 0; b < n; ++b) {
    for (std::size_t k = 0; k < notes[b].size(); ++k) labels.touched_by[b] += (k ? " | " : "") + notes[b][k];
  }
  return labels;
}

}  // namespace arenaplan
