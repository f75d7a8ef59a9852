// QuantizeLinear / DequantizeLinear onto QUANTIZE / DEQUANTIZE, the quantization parameters (scale,
// zero point, axis) carried by the quantized tensor.
#include <fmt/format.h>

#include "importers/onnx/onnx_lowering.h"

namespace arenaplan::onnx_import {

Quantization Lowerer::quantization_of(const Node& n) const {
  if (n.inputs.size() < 2 || !m_.is_constant(n.inputs[1])) unsupported(n, "the scale must be a constant");
  Quantization q;
  for (double s : as_doubles(m_.value(n.inputs[1]))) q.scale.push_back(static_cast<float>(s));
  if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
    if (!m_.is_constant(n.inputs[2])) unsupported(n, "the zero point must be a constant");
    q.zero_point = as_ints(m_.value(n.inputs[2]));
  } else {
    q.zero_point.assign(q.scale.size(), 0);
  }
  if (q.zero_point.size() != q.scale.size()) unsupported(n, "scale and zero point sizes differ");
  if (q.scale.empty()) unsupported(n, "an empty scale");
  q.axis = static_cast<std::int32_t>(n.int_or("axis", 1));
  return q;
}

void Lowerer::quantize_linear(const Node& n, bool quantize) {
  Quantization q = quantization_of(n);
  const Value& x = known(n.inputs[0]);
  const auto rank = static_cast<std::int32_t>(x.shape.size());
  if (q.axis < 0) q.axis += rank;
  if (q.scale.size() > 1 && (q.axis < 0 || q.axis >= rank)) unsupported(n, "axis out of range");
  const bool as_nhwc = has_nhwc(n.inputs[0]) || (m_.is_constant(n.inputs[0]) && rank == 4);
  const std::int32_t in = as_nhwc ? nhwc(n.inputs[0]) : onnx_order(n.inputs[0]);
  const std::int32_t out = define(n.outputs[0], as_nhwc);
  constexpr std::int32_t kNhwcAxis[4] = {0, 3, 1, 2};
  if (as_nhwc && q.scale.size() > 1) q.axis = kNhwcAxis[q.axis];
  g_.tensors[static_cast<std::size_t>(quantize ? out : in)].quantization = q;
  emit(quantize ? "QUANTIZE" : "DEQUANTIZE", {in}, {out});
}

// A quantized MaxPool, Reshape or Transpose (between a QuantizeLinear or a quantized Conv and a
// DequantizeLinear, in ONNX as in QDQ models) keeps its input's values and so its scale and zero
// point: give the side that has none the other's, in either direction, until nothing changes.
void Lowerer::pass_quantization_through() {
  for (bool changed = true; changed;) {
    changed = false;
    for (const Operator& op : g_.operators) {
      if (op.opcode != "MAX_POOL_2D" && op.opcode != "RESHAPE" && op.opcode != "TRANSPOSE") continue;
      if (op.inputs.empty() || op.inputs[0] < 0 || op.outputs.size() != 1) continue;
      Tensor& in = g_.tensors[static_cast<std::size_t>(op.inputs[0])];
      Tensor& out = g_.tensors[static_cast<std::size_t>(op.outputs[0])];
      if (in.type != out.type || in.type == DataType::float32) continue;
      if (in.quantization.empty() && !out.quantization.empty() && out.quantization.scale.size() == 1) {
        in.quantization = out.quantization;
        changed = true;
      } else if (out.quantization.empty() && !in.quantization.empty() && in.quantization.scale.size() == 1) {
        out.quantization = in.quantization;
        changed = true;
      }
    }
  }
}

}  // namespace arenaplan::onnx_import
