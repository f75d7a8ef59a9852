// Operator parameters against what kernels can compute: one check per operator family, shared by
// every kernel library (TFLite's reference kernels and ours index with 32-bit integers).
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/graph.h"
#include "graph/validate_operators.h"

namespace arenaplan {
namespace {

constexpr std::int64_t kMaxInt32 = std::numeric_limits<std::int32_t>::max();
// The largest real multiplier a 32-bit fixed-point multiplier with shift <= 30 represents
// (TFLite's QuantizeMultiplier rounds anything above up to 2^31 and out of range).
constexpr double kMaxMultiplier = 0x1p30 - 0x1p-2;

class ParameterCheck {
 public:
  ParameterCheck(const Graph& graph, std::size_t op) : g_(graph), op_(graph.operators.at(op)), index_(op) {}

  void run() {
    for (std::int32_t t : op_.inputs)
      if (t >= 0) quantization(t);
    for (std::int32_t t : op_.outputs) quantization(t);
    const std::string& code = op_.opcode;
    if (code == "CONV_2D" || code == "DEPTHWISE_CONV_2D") {
      window(true);
      weighted_multipliers();
    } else if (code == "AVERAGE_POOL_2D" || code == "MAX_POOL_2D" || code == "L2_POOL_2D") {
      window(false);
    } else if (code == "FULLY_CONNECTED") {
      if (has_input(1) && input(1).shape.size() != 2)
        fail(fmt::format("the weights {} must be 2-D, not rank {}", name(op_.inputs[1]), input(1).shape.size()));
      indexable();
      weighted_multipliers();
    } else if (code == "ADD" || code == "SOFTMAX" || code == "QUANTIZE" || code == "DEQUANTIZE") {
      indexable();
      element_multipliers(code);
    } else if (code == "CONCATENATION") {
      axis(op_.attribute_or("axis", 0), output(0));
    } else if (code == "TRANSPOSE_CONV") {
      positive("stride_h", 1);
      positive("stride_w", 1);
    }
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw InputError(fmt::format("{}: {}: {}", g_.source, g_.describe_operator(index_), problem));
  }

  std::string name(std::int32_t t) const { return fmt::format("tensor {} ('{}')", t, g_.tensors[t].name); }
  bool has_input(std::size_t i) const { return i < op_.inputs.size() && op_.inputs[i] >= 0; }
  const Tensor& input(std::size_t i) const {
    if (!has_input(i)) fail(fmt::format("input {} is missing", i));
    return g_.tensors[op_.inputs[i]];
  }
  const Tensor& output(std::size_t i) const {
    if (i >= op_.outputs.size()) fail(fmt::format("output {} is missing", i));
    return g_.tensors[op_.outputs[i]];
  }

  std::int64_t positive(std::string_view key, std::int64_t fallback) const {
    const std::int64_t v = op_.attribute_or(key, fallback);
    if (v < 1 || v > kMaxInt32) fail(fmt::format("{} {} is out of range [1, 2^31-1]", key, v));
    return v;
  }

  const Tensor& nhwc(const Tensor& t, const char* what) const {
    if (t.shape.size() != 4)
      fail(fmt::format("the {} '{}' must be 4-D (NHWC), not rank {}", what, t.name, t.shape.size()));
    return t;
  }

  // Every operand of a kernel that indexes with int32 must have fewer than 2^31 elements.
  void indexable() const {
    for (std::size_t i = 0; i < op_.inputs.size(); ++i)
      if (has_input(i)) elements(op_.inputs[i]);
    for (std::int32_t t : op_.outputs) elements(t);
  }
  void elements(std::int32_t t) const {
    if (g_.tensors[t].elements() > kMaxInt32)
      fail(fmt::format("{} has {} elements; kernels index tensors with 32-bit integers (at most 2^31-1)", name(t),
                       g_.tensors[t].elements()));
  }

  // CONV_2D, DEPTHWISE_CONV_2D and the 2-D pools: a filter window slides over H and W. The output
  // size must be the one TFLite computes (ComputeOutSize), and the farthest input position a
  // kernel computes, (out - 1) * stride + (filter - 1) * dilation, must fit in 32 bits.
  void window(bool filter_tensor) const {
    const Tensor& in = nhwc(input(0), "input");
    const Tensor& out = nhwc(output(0), "output");
    const Tensor* filter = filter_tensor ? &nhwc(input(1), "filter") : nullptr;
    indexable();
    const std::int64_t padding = op_.attribute_or("padding", kPaddingSame);
    const char* axes[] = {"h", "w"};
    for (std::size_t d = 1; d <= 2; ++d) {
      const std::string axis = axes[d - 1];
      const std::int64_t stride = positive("stride_" + axis, 1);
      const std::int64_t dilation = filter_tensor ? positive("dilation_" + axis, 1) : 1;
      const std::int64_t size = filter ? filter->shape[d] : positive("filter_" + axis, 1);
      if (size < 1) fail(fmt::format("filter '{}' has an empty dimension {}", filter->name, d));
      const std::int64_t effective = (size - 1) * dilation + 1;  // both below 2^31: no overflow
      const std::int64_t expected =
          padding == kPaddingValid ? (in.shape[d] + stride - effective) / stride : (in.shape[d] + stride - 1) / stride;
      if (out.shape[d] != expected || expected < 1)
        fail(
            fmt::format("output {} {} does not match the {} that input {} {}, filter {}, stride {}, dilation {} and {} "
                        "padding give",
                        d == 1 ? "height" : "width", out.shape[d], expected, d == 1 ? "height" : "width", in.shape[d],
                        size, stride, dilation, padding == kPaddingValid ? "VALID" : "SAME"));
      if ((out.shape[d] - 1) * stride + (size - 1) * dilation > kMaxInt32)
        fail(fmt::format("stride {} and dilation {} reach beyond 2^31-1 input positions", stride, dilation));
    }
  }

  // Scales positive and finite, zero points in the range of the type, per-channel scales along a
  // real axis: the fixed-point parameters computed from them are then defined.
  void quantization(std::int32_t t) const {
    const Tensor& x = g_.tensors[t];
    const Quantization& q = x.quantization;
    if (q.empty()) return;
    for (float s : q.scale)
      if (!(s > 0.0f) || !std::isfinite(s))
        fail(fmt::format("{} has quantization scale {}; scales must be positive and finite", name(t), s));
    const auto [lo, hi] = x.type == DataType::int8    ? std::pair<std::int64_t, std::int64_t>{-128, 127}
                          : x.type == DataType::uint8 ? std::pair<std::int64_t, std::int64_t>{0, 255}
                          : x.type == DataType::int16 ? std::pair<std::int64_t, std::int64_t>{-32768, 32767}
                                                      : std::pair<std::int64_t, std::int64_t>{INT32_MIN, INT32_MAX};
    for (std::int64_t z : q.zero_point)
      if (z < lo || z > hi)
        fail(fmt::format("{} has zero point {}, outside [{}, {}] of its type {}", name(t), z, lo, hi,
                         to_string(x.type)));
    if (q.scale.size() > 1) {
      const auto rank = static_cast<std::int32_t>(x.shape.size());
      if (q.axis < 0 || q.axis >= rank)
        fail(fmt::format("{} is quantized along axis {}, but it has rank {}", name(t), q.axis, rank));
      if (x.shape[static_cast<std::size_t>(q.axis)] != static_cast<std::int64_t>(q.scale.size()))
        fail(fmt::format("{} has {} quantization scales, but dimension {} has {} elements", name(t), q.scale.size(),
                         q.axis, x.shape[static_cast<std::size_t>(q.axis)]));
    }
  }

  void axis(std::int64_t value, const Tensor& t) const {
    const auto rank = static_cast<std::int64_t>(t.shape.size());
    if (value < -rank || value >= rank)
      fail(fmt::format("axis {} is out of range for '{}' of rank {}", value, t.name, rank));
  }

  static float scale(const Tensor& t, std::size_t c) {
    return t.quantization.scale[t.quantization.scale.size() == 1 ? 0 : c];
  }

  void multiplier(double real) const {
    if (real >= kMaxMultiplier)
      fail(fmt::format(
          "a ratio of quantization scales ({:g}) is too large for a 32-bit fixed-point multiplier; check the model's "
          "scales",
          real));
  }

  // input scale * weight scale / output scale, per output channel (int8 weights, int8 output).
  void weighted_multipliers() const {
    if (!has_input(1)) return;
    const Tensor &in = input(0), &w = input(1), &out = output(0);
    if (in.quantization.empty() || w.quantization.empty() || out.quantization.empty()) return;
    if (in.type != DataType::int8 || out.type != DataType::int8) return;  // hybrid: float activations
    for (std::size_t c = 0; c < w.quantization.scale.size(); ++c)
      multiplier(static_cast<double>(scale(in, 0)) * static_cast<double>(scale(w, c)) /
                 static_cast<double>(scale(out, 0)));
  }

  // ADD rescales both inputs to twice the larger scale with a 20-bit left shift; int8 QUANTIZE
  // rescales input to output.
  void element_multipliers(const std::string& code) const {
    const Tensor& out = output(0);
    if (out.quantization.empty() || out.type != DataType::int8) return;
    const double o = scale(out, 0);
    if (code == "ADD" && has_input(1) && !input(0).quantization.empty() && !input(1).quantization.empty()) {
      const double twice_max = 2.0 * std::max<double>(scale(input(0), 0), scale(input(1), 0));
      multiplier(twice_max / (0x1p20 * o));
    } else if (code == "QUANTIZE" && input(0).type == DataType::int8 && !input(0).quantization.empty()) {
      multiplier(static_cast<double>(scale(input(0), 0)) / o);
    }
  }

  const Graph& g_;
  const Operator& op_;
  std::size_t index_;
};

}  // namespace

void validate_operator_parameters(const Graph& graph, std::size_t op) { ParameterCheck(graph, op).run(); }

}  // namespace arenaplan
