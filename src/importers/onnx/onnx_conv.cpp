// Conv, MaxPool and AveragePool onto CONV_2D / DEPTHWISE_CONV_2D / the pools, NHWC, with the
// weights transposed OIHW -> OHWI (depthwise: 1HWO) at import. ONNX's explicit padding becomes
// SAME or VALID where either computes the same windows, else an explicit PAD before a VALID one.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "importers/onnx/onnx_lowering.h"

namespace arenaplan::onnx_import {

Lowerer::Window Lowerer::window(const Node& n, const std::vector<std::int64_t>& in_hw,
                                const std::vector<std::int64_t>& out_hw, const std::vector<std::int64_t>& kernel) {
  Window w;
  w.kernel = kernel;
  w.strides = n.ints_or("strides", {1, 1});
  w.dilations = n.ints_or("dilations", {1, 1});
  if (w.strides.size() != 2 || w.dilations.size() != 2 || kernel.size() != 2)
    unsupported(n, "only 2-D windows are supported");
  for (std::size_t d = 0; d < 2; ++d)
    if (w.strides[d] < 1 || w.dilations[d] < 1 || kernel[d] < 1)
      unsupported(n, "strides, dilations and kernel must be positive");
  const std::string auto_pad = n.string_or("auto_pad", "NOTSET");
  std::vector<std::int64_t> pads = n.ints_or("pads", {0, 0, 0, 0});
  if (pads.size() != 4) unsupported(n, "pads must have 4 values");
  w.begin = {pads[0], pads[1]};
  w.end = {pads[2], pads[3]};
  if (auto_pad == "VALID") w.begin = w.end = {0, 0};
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    for (std::size_t d = 0; d < 2; ++d) {
      const std::int64_t eff = (kernel[d] - 1) * w.dilations[d] + 1;
      const std::int64_t total = std::max<std::int64_t>((out_hw[d] - 1) * w.strides[d] + eff - in_hw[d], 0);
      w.begin[d] = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
      w.end[d] = total - w.begin[d];
    }
  }
  for (std::int64_t p : pads)
    if (p < 0) unsupported(n, "negative pads");
  return w;
}

std::pair<std::int32_t, std::int64_t> Lowerer::padding(const Node& n, std::int32_t in, const Window& w,
                                                       const std::vector<std::int64_t>& out_hw,
                                                       std::optional<double> fill, bool same_ok) {
  const std::vector<std::int64_t> shape = tensor(in).shape;  // NHWC (a copy: tensors grow below)
  const std::vector<std::int64_t> in_hw = {shape[1], shape[2]};
  bool same = true, valid = true;
  std::vector<std::int64_t> after(2);
  for (std::size_t d = 0; d < 2; ++d) {
    const std::int64_t eff = (w.kernel[d] - 1) * w.dilations[d] + 1;
    const std::int64_t s = w.strides[d];
    const std::int64_t same_out = (in_hw[d] + s - 1) / s;
    const std::int64_t total = std::max<std::int64_t>((same_out - 1) * s + eff - in_hw[d], 0);
    same = same && out_hw[d] == same_out && w.begin[d] == total / 2;
    valid = valid && w.begin[d] == 0 && in_hw[d] >= eff && out_hw[d] == (in_hw[d] - eff) / s + 1;
    after[d] = std::max<std::int64_t>((out_hw[d] - 1) * s + eff - in_hw[d] - w.begin[d], 0);
  }
  if (valid) return {in, kPaddingValid};
  if (same && same_ok) return {in, kPaddingSame};
  if (!fill)
    unsupported(n, "padding that neither SAME nor VALID reproduces, with the padding excluded from the average");
  const std::vector<std::int64_t> padded = {shape[0], in_hw[0] + w.begin[0] + after[0],
                                            in_hw[1] + w.begin[1] + after[1], shape[3]};
  const std::string name = tensor(in).name + "/padded";
  const std::int32_t out = add_tensor(name, tensor(in).type, padded);
  const std::int32_t paddings =
      int32_constant(name + "/paddings", {0, 0, w.begin[0], after[0], w.begin[1], after[1], 0, 0}, {4, 2});
  if (*fill == 0.0) {
    emit("PAD", {in, paddings}, {out});
  } else {
    const std::int32_t value = add_constant(name + "/value", make_constant(tensor(in).type, {1}, {*fill}));
    emit("PADV2", {in, paddings, value}, {out});
  }
  return {out, kPaddingValid};
}

void Lowerer::conv(const Node& n) {
  if (const auto it = qdq_.find(&n); it != qdq_.end()) return convolve(n, it->second);
  if (n.inputs.size() < 2 || !m_.is_constant(n.inputs[1])) unsupported(n, "only constant weights are supported");
  Weighted w;
  w.x = n.inputs[0];
  w.weights = m_.value(n.inputs[1]);
  if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
    if (!m_.is_constant(n.inputs[2])) unsupported(n, "only a constant bias is supported");
    w.bias = m_.value(n.inputs[2]);
    w.bias_name = n.inputs[2];
  }
  w.weights_name = n.inputs[1];
  w.activation = fuse_activation(n, w.y);
  convolve(n, w);
}

// A constant with its quantization (empty: float).
std::int32_t Lowerer::quantized_constant(const std::string& name, const Value& v, const Quantization& q) {
  const std::int32_t t = add_constant(name, v);
  g_.tensors[static_cast<std::size_t>(t)].quantization = q;
  return t;
}

void Lowerer::convolve(const Node& n, const Weighted& spec) {
  const Value& x = known(spec.x);
  const Value& w = spec.weights;
  if (x.shape.size() != 4 || w.shape.size() != 4) unsupported(n, "only 2-D convolutions (4-D tensors) are supported");
  const Value& y = known(n.outputs[0]);
  // The output's shape may be the model's own statement (value_info), not inferred: check it.
  if (y.shape.size() != 4 || y.shape[0] != x.shape[0] || y.shape[1] != w.shape[0])
    unsupported(n, "the output's shape is not the batch, the weights' output channels and two spatial sizes");
  const std::vector<std::int64_t> out_hw = {y.shape[2], y.shape[3]};
  const std::int64_t group = n.int_or("group", 1);
  const std::int64_t channels = x.shape[1], out_channels = w.shape[0];
  if (group < 1 || channels % group != 0 || out_channels % group != 0 || w.shape[1] * group != channels)
    unsupported(n, "weights do not match the input channels and group");
  const Window win = window(n, {x.shape[2], x.shape[3]}, out_hw, {w.shape[2], w.shape[3]});
  set_quantization(spec.x, spec.x_quantization);
  // A quantized input is padded with its zero point (the real value 0).
  const double zero = spec.x_quantization.empty() ? 0.0 : static_cast<double>(spec.x_quantization.zero_point[0]);
  auto [in, code] = padding(n, nhwc(spec.x), win, out_hw, zero, true);
  Ints attrs = {{"padding", code},
                {"stride_h", win.strides[0]},
                {"stride_w", win.strides[1]},
                {"dilation_h", win.dilations[0]},
                {"dilation_w", win.dilations[1]},
                {"fused_activation", spec.activation}};
  const std::int32_t out = define(spec.y, true);
  g_.tensors[static_cast<std::size_t>(out)].quantization = spec.y_quantization;
  const bool has_bias = spec.bias.has_value();
  const std::size_t esize = element_size(w.type);
  if (group == 1 || group == channels) {
    const std::int32_t bias = has_bias ? quantized_constant(spec.bias_name, *spec.bias, spec.bias_quantization) : -1;
    Value kernel = w;
    Quantization q = spec.weights_quantization;
    if (group == 1) {  // OIHW -> OHWI
      kernel.data = permute(*w.data, esize, w.shape, {0, 2, 3, 1});
      kernel.shape = {w.shape[0], w.shape[2], w.shape[3], w.shape[1]};
      q.axis = 0;
      emit("CONV_2D", {in, quantized_constant(spec.weights_name + "/ohwi", kernel, q), bias}, {out}, attrs);
    } else {  // depthwise: [O, 1, kh, kw] -> [1, kh, kw, O]
      kernel.data = permute(*w.data, esize, w.shape, {1, 2, 3, 0});
      kernel.shape = {1, w.shape[2], w.shape[3], w.shape[0]};
      q.axis = 3;
      attrs["depth_multiplier"] = out_channels / channels;
      emit("DEPTHWISE_CONV_2D", {in, quantized_constant(spec.weights_name + "/1hwo", kernel, q), bias}, {out}, attrs);
    }
    return;
  }
  if (!spec.weights_quantization.empty()) unsupported(n, "grouped quantized convolutions are not supported");
  // Grouped: SPLIT the channels, one CONV_2D per group, CONCATENATION.
  const std::vector<std::int64_t> in_shape = tensor(in).shape;
  const std::int64_t gin = channels / group, gout = out_channels / group;
  const std::int32_t axis = int32_constant(spec.y + "/split_axis", {3}, {});
  std::vector<std::int32_t> parts, results;
  for (std::int64_t k = 0; k < group; ++k)
    parts.push_back(
        add_tensor(fmt::format("{}/group{}_in", spec.y, k), x.type, {in_shape[0], in_shape[1], in_shape[2], gin}));
  emit("SPLIT", {axis, in}, parts, {{"num_splits", group}});
  const std::int64_t per_out = w.shape[1] * w.shape[2] * w.shape[3];
  const std::vector<double> bias_values = has_bias ? as_doubles(*spec.bias) : std::vector<double>{};
  for (std::int64_t k = 0; k < group; ++k) {
    Value part;
    part.type = w.type;
    part.known = true;
    part.shape = {gout, w.shape[1], w.shape[2], w.shape[3]};
    const auto bytes = static_cast<std::ptrdiff_t>(gout * per_out * static_cast<std::int64_t>(esize));
    const auto first = w.data->begin() + k * bytes;
    part.data = permute(std::vector<std::uint8_t>(first, first + bytes), esize, part.shape, {0, 2, 3, 1});
    part.shape = {gout, w.shape[2], w.shape[3], w.shape[1]};
    const std::string base = fmt::format("{}/group{}", spec.y, k);
    std::int32_t b = -1;
    if (has_bias)
      b = add_constant(base + "_bias",
                       make_constant(DataType::float32, {gout},
                                     {bias_values.begin() + k * gout, bias_values.begin() + (k + 1) * gout}));
    const std::int32_t r = add_tensor(base + "_out", y.type, {y.shape[0], y.shape[2], y.shape[3], gout});
    emit("CONV_2D", {parts[static_cast<std::size_t>(k)], add_constant(base + "_weights", part), b}, {r}, attrs);
    results.push_back(r);
  }
  emit("CONCATENATION", results, {out}, {{"axis", 3}, {"fused_activation", 0}});
}

void Lowerer::pool(const Node& n, const std::string& opcode) {
  const Value& x = known(n.inputs[0]);
  if (x.shape.size() != 4) unsupported(n, "only 2-D pooling (4-D tensors) is supported");
  if (n.outputs.size() > 1 && !n.outputs[1].empty() && !consumers(n.outputs[1]).empty())
    unsupported(n, "the indices output of MaxPool is not supported");
  if (n.int_or("storage_order", 0) != 0) unsupported(n, "storage_order 1");
  std::string out_name;
  const std::int64_t act = fuse_activation(n, out_name);
  const Value& y = known(n.outputs[0]);
  if (y.shape.size() != 4 || y.shape[0] != x.shape[0] || y.shape[1] != x.shape[1])
    unsupported(n, "the output's shape is not the input's batch and channels and two spatial sizes");
  const std::vector<std::int64_t> out_hw = {y.shape[2], y.shape[3]};
  const std::vector<std::int64_t> kernel = n.ints_or("kernel_shape", {});
  const Window win = window(n, {x.shape[2], x.shape[3]}, out_hw, kernel);
  if (win.dilations != std::vector<std::int64_t>{1, 1}) unsupported(n, "dilated pooling");
  const bool max = opcode == "MAX_POOL_2D";
  const bool include_pad = n.int_or("count_include_pad", 0) != 0;
  std::optional<double> fill;
  if (max) fill = static_cast<double>(std::numeric_limits<float>::lowest());
  if (!max && include_pad) fill = 0.0;
  auto [in, code] = padding(n, nhwc(n.inputs[0]), win, out_hw, fill, !include_pad);
  const std::int32_t out = define(out_name, true);
  emit(opcode, {in}, {out},
       {{"padding", code},
        {"stride_h", win.strides[0]},
        {"stride_w", win.strides[1]},
        {"filter_h", kernel[0]},
        {"filter_w", kernel[1]},
        {"fused_activation", act}});
}

}  // namespace arenaplan::onnx_import
