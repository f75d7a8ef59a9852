// Which PADs fold into their consumer, and the rewritten graph. A folded convolution gives the
// same bits as the unfolded pair: the padded elements hold the input zero point (0.0f), which the
// kernel's (input + input_offset) * filter turns into 0, exactly what its own padding skips.
#include "lowering/fold_pads.h"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <utility>

#include "kernels/operator_view.h"
#include "kernels/shape_geometry.h"

namespace arenaplan::lowering {
namespace {

bool same_quantization(const Tensor& a, const Tensor& b) {
  return a.type == b.type && a.quantization.scale == b.quantization.scale &&
         a.quantization.zero_point == b.quantization.zero_point;
}

std::int64_t zero_point(const Tensor& t) {
  return t.quantization.zero_point.empty() ? 0 : t.quantization.zero_point[0];
}

// PAD pads with the output's zero point (0.0f); PADV2 with its constant input 2, which must be the same.
bool pads_with_zero_point(const Graph& graph, const Operator& op, const Tensor& out) {
  if (op.inputs.size() < 3 || op.inputs[2] < 0) return true;
  const Tensor& value = graph.tensors[static_cast<std::size_t>(op.inputs[2])];
  if (!value.is_constant || value.type != out.type || value.elements() != 1 || value.constant_buffer < 0 ||
      static_cast<std::size_t>(value.constant_buffer) >= graph.constant_data.size())
    return false;
  const std::vector<std::uint8_t>& data = graph.constant_data[static_cast<std::size_t>(value.constant_buffer)];
  if (out.type == DataType::float32) {
    float v = 1.0f;
    if (data.size() < sizeof v) return false;
    std::memcpy(&v, data.data(), sizeof v);
    return v == 0.0f;
  }
  if (data.empty()) return false;
  const std::int64_t v = out.type == DataType::int8 ? static_cast<std::int8_t>(data[0]) : data[0];
  return v == zero_point(out);
}

// The consumer's kernels skip padded taps: int8 (int8 filter), uint8 and float32 (float32 filter);
// not the hybrid or 16x8 kernels.
bool folds_into(const Graph& graph, const Operator& c, const Tensor& padded) {
  if (c.custom || (c.opcode != "CONV_2D" && c.opcode != "DEPTHWISE_CONV_2D")) return false;
  const std::int64_t padding = c.attribute_or("padding", kPaddingSame);
  if ((padding != kPaddingValid && padding != kPaddingSame) || c.inputs.size() < 2 || c.inputs[1] < 0) return false;
  const DataType filter = graph.tensors[static_cast<std::size_t>(c.inputs[1])].type;
  switch (padded.type) {
    case DataType::int8: return filter == DataType::int8;
    case DataType::uint8: return filter == DataType::uint8;
    case DataType::float32: return filter == DataType::float32;
    default: return false;
  }
}

// The consumer's own padding (SAME: TFLite's ComputePaddingHeightWidth on the padded size, the
// odd row or column after) before and after one dimension; VALID: none.
std::pair<std::int64_t, std::int64_t> own_padding(const Operator& c, std::int64_t in, std::int64_t filter,
                                                  std::string_view stride_key, std::string_view dilation_key) {
  if (c.attribute_or("padding", kPaddingSame) != kPaddingSame) return {0, 0};
  const std::int64_t stride = std::max<std::int64_t>(c.attribute_or(stride_key, 1), 1);
  const std::int64_t effective = (filter - 1) * std::max<std::int64_t>(c.attribute_or(dilation_key, 1), 1) + 1;
  const std::int64_t out = (in + stride - 1) / stride;
  const std::int64_t total = std::max<std::int64_t>((out - 1) * stride + effective - in, 0);
  return {total / 2, total - total / 2};
}

}  // namespace

std::optional<FoldedPads> fold_pads(const Graph& graph) {
  const auto consumers = graph.consumers();
  std::optional<FoldedPads> out;
  for (std::size_t p = 0; p < graph.operators.size(); ++p) {
    const Operator& op = graph.operators[p];
    if (op.custom || (op.opcode != "PAD" && op.opcode != "PADV2") || op.inputs.size() < 2 || op.inputs[0] < 0 ||
        op.outputs.size() != 1)
      continue;
    const auto in = static_cast<std::size_t>(op.inputs[0]);
    const auto padded = static_cast<std::size_t>(op.outputs[0]);
    const Tensor& a = graph.tensors[in];
    const Tensor& t = graph.tensors[padded];
    if (a.shape.size() != 4 || t.shape.size() != 4 || !same_quantization(a, t) || t.is_output || t.is_variable)
      continue;
    if (consumers[padded].size() != 1) continue;
    const auto c = static_cast<std::size_t>(consumers[padded][0]);
    const Operator& consumer = graph.operators[c];
    if (consumer.inputs[0] != op.outputs[0] ||
        std::count(consumer.inputs.begin(), consumer.inputs.end(), op.outputs[0]) != 1 ||
        !folds_into(graph, consumer, t) || !pads_with_zero_point(graph, op, t))
      continue;
    const auto g = kernels::pad_geometry(kernels::OperatorView(graph, p));
    // NHWC in five dimensions: 1, N, H, W, C. Only rows and columns may be padded.
    if (!g || g->before[1] != 0 || g->after[1] != 0 || g->before[4] != 0 || g->after[4] != 0) continue;
    if (!out) out = FoldedPads{graph, std::vector<std::int32_t>(graph.operators.size(), -1)};
    const Tensor& filter = graph.tensors[static_cast<std::size_t>(consumer.inputs[1])];
    if (filter.shape.size() != 4) continue;
    const auto [top, bottom] = own_padding(consumer, t.shape[1], filter.shape[1], "stride_h", "dilation_h");
    const auto [left, right] = own_padding(consumer, t.shape[2], filter.shape[2], "stride_w", "dilation_w");
    Operator& conv = out->graph.operators[c];
    conv.inputs[0] = op.inputs[0];
    conv.attributes["padding"] = kPaddingExplicit;
    conv.attributes["pad_top"] = g->before[2] + top;
    conv.attributes["pad_bottom"] = g->after[2] + bottom;
    conv.attributes["pad_left"] = g->before[3] + left;
    conv.attributes["pad_right"] = g->after[3] + right;
    Operator& folded = out->graph.operators[p];
    folded.inputs.clear();
    folded.outputs.clear();
    out->folded_into[p] = static_cast<std::int32_t>(c);
  }
  return out;
}

}  // namespace arenaplan::lowering
