// One mapping per ONNX operator onto the Graph's TFLite-style operators (docs/onnx.md has the table).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "importers/onnx/onnx_lowering.h"

namespace arenaplan::onnx_import {
namespace {

constexpr const char* kAffine = "ap.Affine";

std::int64_t normalized_axis(std::int64_t axis, std::size_t rank) {
  return axis < 0 ? axis + static_cast<std::int64_t>(rank) : axis;
}

// ONNX axis of a 4-D value -> its NHWC axis.
std::int64_t nhwc_axis(std::int64_t axis) {
  constexpr std::int64_t kMap[4] = {0, 3, 1, 2};
  return kMap[axis];
}

}  // namespace

void Lowerer::unsupported(const Node& n, const std::string& why) const {
  m_.fail(fmt::format("{}: {}", m_.describe(n), why));
}

void Lowerer::lower_node(const Node& n) {
  const std::string& op = n.op;
  if (op == "Conv") return conv(n);
  if (op == "MaxPool") return pool(n, "MAX_POOL_2D");
  if (op == "AveragePool") return pool(n, "AVERAGE_POOL_2D");
  if (op == "GlobalAveragePool") return global_pool(n, "MEAN");
  if (op == "GlobalMaxPool") return global_pool(n, "REDUCE_MAX");
  if (op == "Gemm") return gemm(n);
  if (op == "MatMul") return matmul(n);
  if (op == "Relu") return unary(n, "RELU");
  if (op == "Sigmoid") return unary(n, "LOGISTIC");
  if (op == "Tanh") return unary(n, "TANH");
  if (op == "LeakyRelu") return unary(n, "LEAKY_RELU", {{"alpha", n.float_or("alpha", 0.01)}});
  if (op == "Clip") return clip(n);
  if (op == "Add" || op == "Sum") return elementwise(n, "ADD");
  if (op == "Sub") return elementwise(n, "SUB");
  if (op == "Mul") return elementwise(n, "MUL");
  if (op == "Div") return elementwise(n, "DIV");
  if (op == "Max") return elementwise(n, "MAXIMUM");
  if (op == "Min") return elementwise(n, "MINIMUM");
  if (op == "Concat") return concat(n);
  if (op == "Reshape" || op == "Flatten" || op == "Squeeze" || op == "Unsqueeze") return reshape(n);
  if (op == "Transpose") return transpose_node(n);
  if (op == "Softmax") return softmax(n);
  if (op == "Pad") return pad(n);
  if (op == "LRN") return lrn(n);
  if (op == kAffine) return affine(n);
  if (op == "QuantizeLinear") return quantize_linear(n, true);
  if (op == "DequantizeLinear") return quantize_linear(n, false);
  if (op == "QLinearConv" || op == "QLinearMatMul") return qlinear(n);
  unsupported(n, fmt::format("operator {} is not supported by the ONNX importer", op));
}

// Elementwise on one input: in the layout the input already has.
void Lowerer::unary(const Node& n, const std::string& opcode, Reals reals) {
  const bool as_nhwc = has_nhwc(n.inputs[0]);
  const std::int32_t in = as_nhwc ? nhwc(n.inputs[0]) : onnx_order(n.inputs[0]);
  const std::int32_t out = define(n.outputs[0], as_nhwc);
  emit(opcode, {in}, {out}, {}, std::move(reals));
}

void Lowerer::clip(const Node& n) {
  const auto [lo, hi] = clip_range(n);
  if (lo == 0.0 && hi == 6.0) return unary(n, "RELU6");
  if (lo == -1.0 && hi == 1.0) return unary(n, "RELU_N1_TO_1");
  if (lo == 0.0 && std::isinf(hi)) return unary(n, "RELU");
  // MAXIMUM then MINIMUM with scalar constants.
  const bool as_nhwc = has_nhwc(n.inputs[0]);
  std::int32_t in = as_nhwc ? nhwc(n.inputs[0]) : onnx_order(n.inputs[0]);
  const Tensor& x = tensor(in);
  const DataType type = x.type;
  const std::vector<std::int64_t> shape = x.shape;
  const std::string base = n.outputs[0];
  if (!std::isinf(lo)) {
    const std::int32_t c = add_constant(base + "/min", make_constant(type, {1}, {lo}));
    const std::int32_t t = std::isinf(hi) ? define(n.outputs[0], as_nhwc) : add_tensor(base + "/lower", type, shape);
    emit("MAXIMUM", {in, c}, {t});
    in = t;
  }
  if (!std::isinf(hi)) {
    const std::int32_t c = add_constant(base + "/max", make_constant(type, {1}, {hi}));
    emit("MINIMUM", {in, c}, {define(n.outputs[0], as_nhwc)});
  }
  if (std::isinf(lo) && std::isinf(hi)) reshape_into(in, define(n.outputs[0], as_nhwc));
}

// Binary (Sum: n-ary, as a chain) elementwise operators with ONNX broadcasting. NHWC when the
// output is 4-D and every input is 4-D or a constant (constants are permuted at import).
void Lowerer::elementwise(const Node& n, const std::string& opcode) {
  if (n.inputs.empty()) unsupported(n, "no inputs");
  const Value& y = known(n.outputs[0]);
  bool as_nhwc = y.shape.size() == 4;
  for (const std::string& i : n.inputs)
    if (!m_.is_constant(i) && known(i).shape.size() != 4) as_nhwc = false;
  for (const std::string& i : n.inputs)
    if (m_.is_constant(i) && m_.value(i).shape.size() > 4) as_nhwc = false;
  auto operand = [&](const std::string& v) { return as_nhwc ? nhwc(v) : onnx_order(v); };
  std::string out_name;
  const bool fusable = opcode == "ADD" || opcode == "SUB" || opcode == "MUL";
  const std::int64_t act = fusable ? fuse_activation(n, out_name) : kActNone;
  if (!fusable) out_name = n.outputs[0];
  if (n.inputs.size() == 1) return reshape_into(operand(n.inputs[0]), define(out_name, as_nhwc));
  std::int32_t acc = operand(n.inputs[0]);
  for (std::size_t k = 1; k < n.inputs.size(); ++k) {
    const bool last = k + 1 == n.inputs.size();
    const std::int32_t out =
        last ? define(out_name, as_nhwc)
             : add_tensor(fmt::format("{}/partial{}", n.outputs[0], k), y.type, as_nhwc ? to_nhwc(y.shape) : y.shape);
    Ints attrs;
    if (fusable) attrs["fused_activation"] = last ? act : kActNone;
    emit(opcode, {acc, operand(n.inputs[k])}, {out}, attrs);
    acc = out;
  }
}

void Lowerer::concat(const Node& n) {
  const Value& y = known(n.outputs[0]);
  const bool as_nhwc = y.shape.size() == 4;
  std::int64_t axis = normalized_axis(n.int_or("axis", 0), y.shape.size());
  if (axis < 0 || axis >= static_cast<std::int64_t>(y.shape.size())) unsupported(n, "axis out of range");
  std::vector<std::int32_t> inputs;
  for (const std::string& i : n.inputs) inputs.push_back(as_nhwc ? nhwc(i) : onnx_order(i));
  emit("CONCATENATION", inputs, {define(n.outputs[0], as_nhwc)},
       {{"axis", as_nhwc ? nhwc_axis(axis) : axis}, {"fused_activation", 0}});
}

void Lowerer::reshape(const Node& n) {
  const Value& y = known(n.outputs[0]);
  // Flattening an NHWC value for a Gemm/MatMul by constant weights alone: the bytes are flattened
  // as they are (a free RESHAPE) and the weights' columns are put in HWC order instead.
  const auto readers = consumers(n.outputs[0]);
  const bool to_weights = readers.size() == 1 && !std::count(m_.outputs.begin(), m_.outputs.end(), n.outputs[0]) &&
                          (m_.nodes[readers[0]].op == "Gemm") && m_.nodes[readers[0]].inputs[0] == n.outputs[0] &&
                          !qdq_.count(&m_.nodes[readers[0]]);
  if (to_weights && has_nhwc(n.inputs[0]) && !slots_[n.inputs[0]].onnx_ready() && y.shape.size() == 2 &&
      known(n.inputs[0]).shape.size() == 4 && y.shape[0] == known(n.inputs[0]).shape[0]) {
    const std::vector<std::int64_t>& x = known(n.inputs[0]).shape;
    reshape_into(nhwc(n.inputs[0]), define(n.outputs[0], false));
    hwc_flattened_[n.outputs[0]] = {x[1], x[2], x[3]};
    return;
  }
  reshape_into(onnx_order(n.inputs[0]), define(n.outputs[0], false));
}

void Lowerer::transpose_node(const Node& n) {
  const Value& x = known(n.inputs[0]);
  std::vector<std::int64_t> perm = n.ints_or("perm", {});
  if (perm.empty())
    for (std::size_t d = x.shape.size(); d-- > 0;) perm.push_back(static_cast<std::int64_t>(d));
  std::vector<std::int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t d = 0; d < sorted.size(); ++d)
    if (sorted[d] != static_cast<std::int64_t>(d) || sorted.size() != x.shape.size()) unsupported(n, "invalid perm");
  // As a value first seen here in ONNX order, whatever the rank.
  const std::int32_t t = transpose(onnx_order(n.inputs[0]), perm, n.outputs[0]);
  slots_[n.outputs[0]].onnx = t;
}

// SOFTMAX normalises the last dimension. Before opset 13 ONNX's Softmax coerces its input to 2-D
// at `axis` (default 1): a RESHAPE to [outer, inner] and back. From opset 13 it runs along one
// axis (default -1), supported when that is the last.
void Lowerer::softmax(const Node& n) {
  const Value& x = known(n.inputs[0]);
  const std::size_t rank = x.shape.size();
  const std::int64_t axis = normalized_axis(n.int_or("axis", m_.opset >= 13 ? -1 : 1), rank);
  if (axis < 0 || axis >= static_cast<std::int64_t>(rank)) unsupported(n, "axis out of range");
  const std::int32_t in = onnx_order(n.inputs[0]);
  if (axis == static_cast<std::int64_t>(rank) - 1) {
    emit("SOFTMAX", {in}, {define(n.outputs[0], false)}, {}, {{"beta", 1.0}});
    return;
  }
  if (m_.opset >= 13) unsupported(n, "Softmax along an axis other than the last");
  std::int64_t outer = 1, inner = 1;
  for (std::size_t d = 0; d < rank; ++d) (static_cast<std::int64_t>(d) < axis ? outer : inner) *= x.shape[d];
  const std::int32_t flat = add_tensor(n.outputs[0] + "/2d_in", x.type, {outer, inner});
  reshape_into(in, flat);
  const std::int32_t result = add_tensor(n.outputs[0] + "/2d", x.type, {outer, inner});
  emit("SOFTMAX", {flat}, {result}, {}, {{"beta", 1.0}});
  reshape_into(result, define(n.outputs[0], false));
}

// FULLY_CONNECTED with weights [N, K] (B transposed unless transB), alpha folded into the weights
// and beta into the bias.
void Lowerer::gemm(const Node& n) {
  if (const auto it = qdq_.find(&n); it != qdq_.end()) return fully_connect(n, it->second, n.int_or("transB", 0) != 0);
  if (n.int_or("transA", 0) != 0) unsupported(n, "transA is not supported");
  if (!m_.is_constant(n.inputs[1])) unsupported(n, "only constant B (weights) is supported");
  const Value& b = m_.value(n.inputs[1]);
  if (b.type != DataType::float32) unsupported(n, "only float32 Gemm is supported (quantized: QLinearMatMul / QDQ)");
  if (b.shape.size() != 2) unsupported(n, "B must be 2-D");
  const bool trans_b = n.int_or("transB", 0) != 0;
  const std::int64_t units = b.shape[trans_b ? 0 : 1];
  Weighted w;
  w.x = n.inputs[0];
  w.weights = b;
  w.weights_name = n.inputs[1];
  const double alpha = n.float_or("alpha", 1.0), beta = n.float_or("beta", 1.0);
  if (alpha != 1.0) {
    std::vector<double> v = as_doubles(b);
    for (double& x : v) x = static_cast<double>(static_cast<float>(x * alpha));
    w.weights = make_constant(DataType::float32, b.shape, v);
  }
  if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
    if (!m_.is_constant(n.inputs[2])) unsupported(n, "only a constant C (bias) is supported");
    std::vector<double> c = as_doubles(m_.value(n.inputs[2]));
    if (c.size() == 1) c.assign(static_cast<std::size_t>(units), c[0]);
    if (c.size() != static_cast<std::size_t>(units)) unsupported(n, "C must broadcast along the output units");
    for (double& x : c) x = static_cast<double>(static_cast<float>(x * beta));
    w.bias = make_constant(DataType::float32, {units}, c);
    w.bias_name = n.inputs[2] + "/bias";
  }
  w.activation = fuse_activation(n, w.y);
  fully_connect(n, w, trans_b);
}

void Lowerer::fully_connect(const Node& n, const Weighted& spec, bool trans_b) {
  const Value& a = known(spec.x);
  const Value& b = spec.weights;
  if (a.shape.size() != 2 || b.shape.size() != 2) unsupported(n, "A and B must be 2-D");
  Value w = b;
  Quantization q = spec.weights_quantization;
  if (!trans_b) {  // [K, N] -> [N, K]; per-column scales become per-row
    w.data = permute(*b.data, element_size(b.type), b.shape, {1, 0});
    w.shape = {b.shape[1], b.shape[0]};
  }
  q.axis = 0;
  if (const auto it = hwc_flattened_.find(spec.x); it != hwc_flattened_.end()) {
    // Column c*H*W + h*W + w of ONNX's weights reads what is at h*W*C + w*C + c in NHWC.
    const std::int64_t c = it->second[0], h = it->second[1], wd = it->second[2];
    if (w.shape[1] != c * h * wd) unsupported(n, "flattened input size differs from the weights");
    w.data = permute(*w.data, element_size(w.type), {w.shape[0], c, h, wd}, {0, 2, 3, 1});
  }
  set_quantization(spec.x, spec.x_quantization);
  const std::int32_t bias = spec.bias ? quantized_constant(spec.bias_name, *spec.bias, spec.bias_quantization) : -1;
  const std::int32_t weights = quantized_constant(spec.weights_name + (trans_b ? "" : "/transposed"), w, q);
  const std::int32_t out = define(spec.y, false);
  g_.tensors[static_cast<std::size_t>(out)].quantization = spec.y_quantization;
  emit("FULLY_CONNECTED", {onnx_order(spec.x), weights, bias}, {out},
       {{"weights_format", 0},
        {"keep_num_dims", 0},
        {"asymmetric_quantize_inputs", 0},
        {"fused_activation", spec.activation}});
}

// MatMul left by the folding (not 2-D by constant 2-D weights): by constant weights, a
// FULLY_CONNECTED keeping the leading dimensions; else BATCH_MATMUL.
void Lowerer::matmul(const Node& n) {
  if (const auto it = qdq_.find(&n); it != qdq_.end()) return fully_connect(n, it->second, false);
  const Value& a = known(n.inputs[0]);
  if (m_.is_constant(n.inputs[1]) && m_.value(n.inputs[1]).shape.size() == 2 && a.shape.size() > 2 &&
      m_.value(n.inputs[1]).type == DataType::float32) {
    const Value& b = m_.value(n.inputs[1]);
    Value w = b;
    w.data = permute(*b.data, 4, b.shape, {1, 0});
    w.shape = {b.shape[1], b.shape[0]};
    emit("FULLY_CONNECTED", {onnx_order(n.inputs[0]), add_constant(n.inputs[1] + "/transposed", w), -1},
         {define(n.outputs[0], false)},
         {{"weights_format", 0}, {"keep_num_dims", 1}, {"asymmetric_quantize_inputs", 0}, {"fused_activation", 0}});
    return;
  }
  emit("BATCH_MATMUL", {onnx_order(n.inputs[0]), onnx_order(n.inputs[1])}, {define(n.outputs[0], false)});
}

void Lowerer::global_pool(const Node& n, const std::string& opcode) {
  if (known(n.inputs[0]).shape.size() != 4) unsupported(n, "only 4-D inputs are supported");
  const std::int32_t axes = int32_constant(n.outputs[0] + "/axes", {1, 2}, {2});
  emit(opcode, {nhwc(n.inputs[0]), axes}, {define(n.outputs[0], true)}, {{"keep_dims", 1}});
}

void Lowerer::pad(const Node& n) {
  if (n.string_or("mode", "constant") != "constant") unsupported(n, "only constant padding is supported");
  const Value& x = known(n.inputs[0]);
  const std::size_t rank = x.shape.size();
  std::vector<std::int64_t> pads = n.ints_or("pads", {});
  double value = n.float_or("value", 0.0);
  if (n.inputs.size() > 1 && !n.inputs[1].empty()) {
    if (!m_.is_constant(n.inputs[1])) unsupported(n, "pads must be a constant");
    pads = as_ints(m_.value(n.inputs[1]));
  }
  if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
    if (!m_.is_constant(n.inputs[2])) unsupported(n, "constant_value must be a constant");
    const auto v = as_doubles(m_.value(n.inputs[2]));
    if (!v.empty()) value = v[0];
  }
  if (n.inputs.size() > 3 && !n.inputs[3].empty()) unsupported(n, "the axes input is not supported");
  if (pads.size() != 2 * rank) unsupported(n, "pads must have two values per dimension");
  for (std::int64_t p : pads)
    if (p < 0) unsupported(n, "negative pads (cropping) are not supported");
  const bool as_nhwc = rank == 4;
  std::vector<std::int64_t> rows;
  for (std::size_t d = 0; d < rank; ++d) {
    const std::size_t source = as_nhwc ? static_cast<std::size_t>(std::vector<std::int64_t>{0, 2, 3, 1}[d]) : d;
    rows.push_back(pads[source]);
    rows.push_back(pads[source + rank]);
  }
  const std::int32_t in = as_nhwc ? nhwc(n.inputs[0]) : onnx_order(n.inputs[0]);
  const std::int32_t paddings = int32_constant(n.outputs[0] + "/paddings", rows, {static_cast<std::int64_t>(rank), 2});
  const std::int32_t out = define(n.outputs[0], as_nhwc);
  if (value == 0.0) {
    emit("PAD", {in, paddings}, {out});
  } else {
    emit("PADV2", {in, paddings, add_constant(n.outputs[0] + "/value", make_constant(x.type, {1}, {value}))}, {out});
  }
}

// ONNX LRN sums the squares over [c - floor((size-1)/2), c + ceil((size-1)/2)] and divides alpha by
// size; TFLite's LOCAL_RESPONSE_NORMALIZATION sums over c +- radius with alpha as given.
void Lowerer::lrn(const Node& n) {
  if (known(n.inputs[0]).shape.size() != 4) unsupported(n, "only 4-D inputs are supported");
  const std::int64_t size = n.int_or("size", 0);
  if (size < 1 || size % 2 == 0) unsupported(n, "only an odd size is supported");
  emit("LOCAL_RESPONSE_NORMALIZATION", {nhwc(n.inputs[0])}, {define(n.outputs[0], true)}, {{"radius", (size - 1) / 2}},
       {{"bias", n.float_or("bias", 1.0)},
        {"alpha", n.float_or("alpha", 1e-4) / static_cast<double>(size)},
        {"beta", n.float_or("beta", 0.75)}});
}

// A per-channel affine map no Conv/Gemm absorbed: 4-D as a 1x1 DEPTHWISE_CONV_2D (weights the
// scale, bias the shift), else MUL and ADD along the last (channel) axis of a 2-D value.
void Lowerer::affine(const Node& n) {
  const Value& x = known(n.inputs[0]);
  const Value& scale = m_.value(n.inputs[1]);
  const Value& shift = m_.value(n.inputs[2]);
  const std::int64_t channels = scale.shape[0];
  std::string out_name;
  const std::int64_t act = fuse_activation(n, out_name);
  if (x.shape.size() == 4) {
    Value w = scale;
    w.shape = {1, 1, 1, channels};
    emit("DEPTHWISE_CONV_2D", {nhwc(n.inputs[0]), add_constant(n.inputs[1], w), add_constant(n.inputs[2], shift)},
         {define(out_name, true)},
         {{"padding", kPaddingValid},
          {"stride_h", 1},
          {"stride_w", 1},
          {"dilation_h", 1},
          {"dilation_w", 1},
          {"depth_multiplier", 1},
          {"fused_activation", act}});
    return;
  }
  if (x.shape.size() != 2) unsupported(n, "a per-channel scale of a value that is neither 2-D nor 4-D");
  const std::int32_t scaled = add_tensor(n.outputs[0] + "/scaled", x.type, x.shape);
  emit("MUL", {onnx_order(n.inputs[0]), add_constant(n.inputs[1], scale)}, {scaled}, {{"fused_activation", 0}});
  emit("ADD", {scaled, add_constant(n.inputs[2], shift)}, {define(out_name, false)}, {{"fused_activation", act}});
}

}  // namespace arenaplan::onnx_import
