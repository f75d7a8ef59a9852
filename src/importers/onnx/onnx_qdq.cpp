// The quantized forms of Conv, Gemm and MatMul: between DequantizeLinear (of the activation and of
// constant weights and bias) and QuantizeLinear (QDQ, as ONNX Runtime's quantizer writes them),
// and QLinearConv / QLinearMatMul. Each becomes one quantized CONV_2D / DEPTHWISE_CONV_2D /
// FULLY_CONNECTED reading and writing the quantized tensors; the DequantizeLinear nodes that only
// feed it and the QuantizeLinear after it disappear.
#include <algorithm>

#include <fmt/format.h>

#include "importers/onnx/onnx_lowering.h"

namespace arenaplan::onnx_import {

Quantization Lowerer::constant_quantization(const Node& n, std::size_t scale, std::size_t zero_point,
                                            std::int64_t axis) const {
  if (n.inputs.size() <= scale || !m_.is_constant(n.inputs[scale])) unsupported(n, "scales must be constants");
  Quantization q;
  for (double s : as_doubles(m_.value(n.inputs[scale]))) q.scale.push_back(static_cast<float>(s));
  if (n.inputs.size() > zero_point && !n.inputs[zero_point].empty()) {
    if (!m_.is_constant(n.inputs[zero_point])) unsupported(n, "zero points must be constants");
    q.zero_point = as_ints(m_.value(n.inputs[zero_point]));
  } else {
    q.zero_point.assign(q.scale.size(), 0);
  }
  if (q.scale.empty() || q.zero_point.size() != q.scale.size()) unsupported(n, "scale and zero point sizes differ");
  q.axis = static_cast<std::int32_t>(axis);
  return q;
}

void Lowerer::set_quantization(const std::string& value, const Quantization& q) {
  if (q.empty()) return;
  const auto it = slots_.find(value);
  if (it == slots_.end()) return;
  for (std::int32_t t : {it->second.onnx, it->second.nhwc})
    if (t >= 0 && g_.tensors[static_cast<std::size_t>(t)].quantization.empty())
      g_.tensors[static_cast<std::size_t>(t)].quantization = q;
}

void Lowerer::match_qdq() {
  std::map<std::string, std::size_t, std::less<>> producer;
  for (std::size_t i = 0; i < m_.nodes.size(); ++i)
    for (const std::string& o : m_.nodes[i].outputs) producer[o] = i;
  auto dequantize_of = [&](const std::string& value, bool constant) -> const Node* {
    const auto it = producer.find(value);
    if (it == producer.end()) return nullptr;
    const Node& dq = m_.nodes[it->second];
    if (dq.op != "DequantizeLinear" || m_.is_constant(dq.inputs[0]) != constant) return nullptr;
    return &dq;
  };
  for (std::size_t i = 0; i < m_.nodes.size(); ++i) {
    const Node& n = m_.nodes[i];
    if ((n.op != "Conv" && n.op != "Gemm" && n.op != "MatMul") || n.inputs.size() < 2) continue;
    if (n.op == "Gemm" &&
        (n.int_or("transA", 0) != 0 || n.float_or("alpha", 1.0) != 1.0 || n.float_or("beta", 1.0) != 1.0))
      continue;
    const Node* dq_x = dequantize_of(n.inputs[0], false);
    const Node* dq_w = dequantize_of(n.inputs[1], true);
    const bool has_bias = n.op != "MatMul" && n.inputs.size() > 2 && !n.inputs[2].empty();
    const Node* dq_b = has_bias ? dequantize_of(n.inputs[2], true) : nullptr;
    if (!dq_x || !dq_w || (has_bias && !dq_b)) continue;
    // The output: QuantizeLinear alone, or Relu alone then QuantizeLinear alone.
    std::vector<std::size_t> absorbed;
    std::string value = n.outputs[0];
    std::int64_t activation = 0;
    const Node* q = nullptr;
    for (int hop = 0; hop < 2 && !q; ++hop) {
      if (std::count(m_.outputs.begin(), m_.outputs.end(), value)) break;
      const auto readers = consumers(value);
      if (readers.size() != 1) break;
      const Node& next = m_.nodes[readers[0]];
      absorbed.push_back(readers[0]);
      if (next.op == "QuantizeLinear")
        q = &next;
      else if (next.op == "Relu" && hop == 0)
        activation = 1, value = next.outputs[0];
      else
        break;
    }
    if (!q) continue;
    Weighted w;
    w.x = dq_x->inputs[0];
    w.x_quantization = constant_quantization(*dq_x, 1, 2, 0);
    w.weights = m_.value(dq_w->inputs[0]);
    w.weights_name = dq_w->inputs[0];
    w.weights_quantization = constant_quantization(*dq_w, 1, 2, dq_w->int_or("axis", 1));
    if (dq_b) {
      w.bias = m_.value(dq_b->inputs[0]);
      w.bias_name = dq_b->inputs[0];
      w.bias_quantization = constant_quantization(*dq_b, 1, 2, 0);
    }
    w.y = q->outputs[0];
    w.y_quantization = constant_quantization(*q, 1, 2, 0);
    w.activation = activation;
    if (w.x_quantization.scale.size() != 1 || w.y_quantization.scale.size() != 1) continue;
    qdq_[&n] = std::move(w);
    absorbed_.insert(absorbed.begin(), absorbed.end());
  }
  // A DequantizeLinear read only by fused operators is not needed.
  for (std::size_t i = 0; i < m_.nodes.size(); ++i) {
    if (m_.nodes[i].op != "DequantizeLinear") continue;
    const auto readers = consumers(m_.nodes[i].outputs[0]);
    const bool fused = !readers.empty() && std::all_of(readers.begin(), readers.end(),
                                                       [&](std::size_t r) { return qdq_.count(&m_.nodes[r]) > 0; });
    if (fused && !std::count(m_.outputs.begin(), m_.outputs.end(), m_.nodes[i].outputs[0])) absorbed_.insert(i);
  }
}

void Lowerer::qlinear(const Node& n) {
  const bool conv_op = n.op == "QLinearConv";
  if (n.inputs.size() < 8 || !m_.is_constant(n.inputs[3])) unsupported(n, "the weights must be a constant");
  Weighted w;
  w.x = n.inputs[0];
  w.x_quantization = constant_quantization(n, 1, 2, 0);
  w.weights = m_.value(n.inputs[3]);
  w.weights_name = n.inputs[3];
  w.weights_quantization = constant_quantization(n, 4, 5, conv_op ? 0 : 1);
  w.y = n.outputs[0];
  w.y_quantization = constant_quantization(n, 6, 7, 0);
  if (conv_op && n.inputs.size() > 8 && !n.inputs[8].empty()) {
    if (!m_.is_constant(n.inputs[8])) unsupported(n, "the bias must be a constant");
    w.bias = m_.value(n.inputs[8]);
    w.bias_name = n.inputs[8];
    // int32 with scale x_scale * w_scale (per output channel), zero point 0.
    for (float s : w.weights_quantization.scale) w.bias_quantization.scale.push_back(s * w.x_quantization.scale[0]);
    w.bias_quantization.zero_point.assign(w.bias_quantization.scale.size(), 0);
  }
  if (conv_op) return convolve(n, w);
  fully_connect(n, w, false);
}

}  // namespace arenaplan::onnx_import
