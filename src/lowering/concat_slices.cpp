// Which concatenations are written in place, and where each input lies in the output.
#include "lowering/concat_slices.h"

#include <algorithm>

namespace arenaplan::lowering {
namespace {

bool same_quantization(const Tensor& a, const Tensor& b) {
  return a.type == b.type && a.quantization.scale == b.quantization.scale &&
         a.quantization.zero_point == b.quantization.zero_point;
}

// Is every dimension before the (resolved) axis 1, so that each input is one run of bytes?
bool contiguous(const Operator& op, const Tensor& out) {
  const auto rank = static_cast<std::int64_t>(out.shape.size());
  std::int64_t axis = op.attribute_or("axis", 0);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) return false;
  return std::all_of(out.shape.begin(), out.shape.begin() + axis, [](std::int64_t d) { return d == 1; });
}

}  // namespace

ConcatSlices find_concat_slices(const Graph& graph, const std::function<bool(std::size_t)>& plannable) {
  ConcatSlices out;
  out.slice_of.assign(graph.tensors.size(), -1);
  out.offset.assign(graph.tensors.size(), 0);
  out.in_place.assign(graph.operators.size(), false);
  const auto producers = graph.producers();
  const auto consumers = graph.consumers();
  for (std::size_t k = 0; k < graph.operators.size(); ++k) {
    const Operator& op = graph.operators[k];
    if (op.custom || op.opcode != "CONCATENATION" || op.outputs.size() != 1 || op.inputs.empty() ||
        op.attribute_or("fused_activation", 0) != 0)
      continue;
    const auto result = static_cast<std::size_t>(op.outputs[0]);
    const Tensor& o = graph.tensors[result];
    if (!plannable(result) || o.is_input || !contiguous(op, o)) continue;
    Bytes total = 0;
    bool all = true;
    for (std::int32_t t : op.inputs) {
      const auto in = static_cast<std::size_t>(t);
      const Tensor& x = graph.tensors[in];
      all = all && t >= 0 && producers[in] >= 0 && consumers[in].size() == 1 && !x.is_input && !x.is_output &&
            same_quantization(x, o) && plannable(in) && std::count(op.inputs.begin(), op.inputs.end(), t) == 1;
      if (!all) break;
      total += x.bytes;
    }
    if (!all || total != o.bytes) continue;
    Bytes at = 0;
    for (std::int32_t t : op.inputs) {
      const auto in = static_cast<std::size_t>(t);
      out.slice_of[in] = static_cast<std::int32_t>(result);
      out.offset[in] = at;
      // An input that is itself an in-place concatenation: its slices move into this output.
      for (std::size_t s = 0; s < graph.tensors.size(); ++s)
        if (out.slice_of[s] == t) {
          out.slice_of[s] = static_cast<std::int32_t>(result);
          out.offset[s] += at;
        }
      at += graph.tensors[in].bytes;
    }
    out.in_place[k] = true;
  }
  return out;
}

}  // namespace arenaplan::lowering
