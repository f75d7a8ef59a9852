// The tensors a lowering planned on another tensor's bytes, for the plan JSON.
#include "arenaplan/io.h"
#include "arenaplan/lowering.h"

namespace arenaplan {

std::vector<TensorAlias> tensor_aliases(const Graph& graph, const LoweredModel& lowered) {
  std::vector<TensorAlias> out;
  for (std::size_t t = 0; t < lowered.tensor_buffer.size(); ++t) {
    const std::int32_t b = lowered.tensor_buffer[t];
    if (b < 0 || lowered.problem.buffers[static_cast<std::size_t>(b)].tensor == static_cast<std::int64_t>(t)) continue;
    const Bytes offset = t < lowered.tensor_offset.size() ? lowered.tensor_offset[t] : 0;
    out.push_back({graph.tensors[t].name, static_cast<std::int64_t>(t), graph.tensors[t].bytes, b, offset});
  }
  return out;
}

}  // namespace arenaplan
