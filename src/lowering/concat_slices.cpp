// Which concatenations are written in place, and where each input lies in the output.
#include "lowering/concat_slices.h"

#include <algorithm>

namespace arenaplan::lowering {
namespace {

bool same_quantization(const Tensor& a, const Tensor& b) {
  return a.type == b.type && a.quantization.scale == b.quantization.scale &&
         a.quantization.zero_point == b.quantization.zero_point;
}

std::int64_t resolved_axis(const Operator& op, const Tensor& out) {
  const auto rank = static_cast<std::int64_t>(out.shape.size());
  const std::int64_t axis = op.attribute_or("axis", 0);
  return axis < 0 ? axis + rank : axis;
}

// Is every dimension before the axis 1, so that each input is one run of bytes?
bool contiguous(std::int64_t axis, const Tensor& out) {
  if (axis < 0 || axis >= static_cast<std::int64_t>(out.shape.size())) return false;
  return std::all_of(out.shape.begin(), out.shape.begin() + axis, [](std::int64_t d) { return d == 1; });
}

}  // namespace

ConcatSlices find_concat_slices(const Graph& graph, const std::function<bool(std::size_t)>& plannable,
                                const std::function<bool(std::size_t)>& strided_producer) {
  ConcatSlices out;
  out.slice_of.assign(graph.tensors.size(), -1);
  out.offset.assign(graph.tensors.size(), 0);
  out.pixel_stride.assign(graph.tensors.size(), 0);
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
    const std::int64_t axis = resolved_axis(op, o);
    const bool runs = contiguous(axis, o);
    const bool channels = !runs && o.shape.size() == 4 && axis == 3 && o.elements() > 0;
    if (!plannable(result) || o.is_input || (!runs && !channels)) continue;
    Bytes total = 0;
    bool all = true;
    for (std::int32_t t : op.inputs) {
      const auto in = static_cast<std::size_t>(t);
      const Tensor& x = graph.tensors[in];
      all = all && t >= 0 && producers[in] >= 0 && consumers[in].size() == 1 && !x.is_input && !x.is_output &&
            same_quantization(x, o) && plannable(in) && std::count(op.inputs.begin(), op.inputs.end(), t) == 1;
      // A channel slice: its producer writes only it, pixel by pixel with a stride.
      all = all && (runs || (graph.operators[static_cast<std::size_t>(producers[in])].outputs.size() == 1 &&
                             strided_producer(static_cast<std::size_t>(producers[in]))));
      if (!all) break;
      total += x.bytes;
    }
    if (!all || total != o.bytes) continue;
    const Bytes element = o.bytes / o.elements();
    Bytes at = 0;
    for (std::int32_t t : op.inputs) {
      const auto in = static_cast<std::size_t>(t);
      out.slice_of[in] = static_cast<std::int32_t>(result);
      out.offset[in] = at;
      out.pixel_stride[in] = runs ? 0 : o.shape[3];
      // An input that is itself an in-place concatenation: its slices move into this output.
      for (std::size_t s = 0; s < graph.tensors.size(); ++s)
        if (out.slice_of[s] == t) {
          out.slice_of[s] = static_cast<std::int32_t>(result);
          out.offset[s] += at;
        }
      at += runs ? graph.tensors[in].bytes : graph.tensors[in].shape[3] * element;
    }
    out.in_place[k] = true;
  }
  return out;
}

}  // namespace arenaplan::lowering
