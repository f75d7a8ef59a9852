#include "emit/quantization.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "arenaplan/error.h"

namespace arenaplan::c_out {

Multiplier quantize_multiplier_unbounded(double real) {
  if (!(real > 0.0) || !std::isfinite(real)) return {0, 0};
  int shift = 0;
  const double q = std::frexp(real, &shift);  // real = q * 2^shift, q in [0.5, 1)
  auto fixed = static_cast<std::int64_t>(std::round(q * static_cast<double>(std::int64_t{1} << 31)));
  if (fixed == (std::int64_t{1} << 31)) {
    fixed /= 2;
    ++shift;
  }
  if (shift < -31) return {0, 0};  // TFLite flushes such tiny multipliers to zero
  return {static_cast<std::int32_t>(fixed), shift};
}

Multiplier quantize_multiplier(double real) {
  const Multiplier m = quantize_multiplier_unbounded(real);
  if (m.shift > 30)
    throw ScaleOutOfRange(
        fmt::format("a ratio of quantization scales ({:g}) is too large for a 32-bit fixed-point "
                    "multiplier; check the model's scales, or emit only the memory interface "
                    "with the kernel profile `reference`",
                    real));
  return m;
}

namespace {

std::int32_t quantize_in(float value, const Quantization& q, std::int32_t qmin, std::int32_t qmax) {
  // TFLite's Quantize(): the division is in float, rounded half away from zero.
  const double shifted =
      static_cast<double>(std::round(value / q.scale.at(0))) + static_cast<double>(q.zero_point.at(0));
  return saturate_to(shifted, qmin, qmax);
}

}  // namespace

std::int32_t saturate_to(double rounded, std::int32_t lo, std::int32_t hi) {
  if (!(rounded >= static_cast<double>(lo))) return lo;
  return rounded > static_cast<double>(hi) ? hi : static_cast<std::int32_t>(rounded);
}

std::pair<std::int32_t, std::int32_t> activation_range_s8(std::int64_t activation, const Quantization& output) {
  return activation_range_quantized(activation, output, -128, 127);
}

std::pair<std::int32_t, std::int32_t> activation_range_quantized(std::int64_t activation, const Quantization& output,
                                                                 std::int32_t qmin, std::int32_t qmax) {
  const auto quantized = [&](float value) { return quantize_in(value, output, qmin, qmax); };
  std::int32_t lo = qmin, hi = qmax;
  switch (activation) {
    case 1: lo = std::max(lo, quantized(0.0f)); break;
    case 2:
      lo = std::max(lo, quantized(-1.0f));
      hi = std::min(hi, quantized(1.0f));
      break;
    case 3:
      lo = std::max(lo, quantized(0.0f));
      hi = std::min(hi, quantized(6.0f));
      break;
    default: break;
  }
  return {lo, hi};
}

std::pair<float, float> activation_range_f32(std::int64_t activation) {
  constexpr float kMax = std::numeric_limits<float>::max();
  switch (activation) {
    case 1: return {0.0f, kMax};
    case 2: return {-1.0f, 1.0f};
    case 3: return {0.0f, 6.0f};
    default: return {-kMax, kMax};
  }
}

SoftmaxParams softmax_params(double beta, double input_scale) {
  constexpr int kScaledDiffIntegerBits = 5;
  // PreprocessSoftmaxScaling: beta * scale * 2^(31 - integer bits), capped at 2^31 - 1.
  const double max_real = static_cast<double>((std::int64_t{1} << 31) - 1);
  const double real = std::min(beta * input_scale * static_cast<double>(1 << (31 - kScaledDiffIntegerBits)), max_real);
  const Multiplier m = quantize_multiplier(real);  // QuantizeMultiplierGreaterThanOne
  SoftmaxParams p;
  p.input_multiplier = m.multiplier;
  p.input_left_shift = m.shift;
  // CalculateInputRadius(kScaledDiffIntegerBits, input_left_shift, 31).
  const double radius = static_cast<double>((std::int64_t{1} << kScaledDiffIntegerBits) - 1) *
                        std::ldexp(1.0, 31 - kScaledDiffIntegerBits) / std::ldexp(1.0, m.shift);
  p.diff_min = -static_cast<std::int32_t>(std::floor(radius));
  return p;
}

LogSoftmaxParams log_softmax_params(double input_scale) {
  LogSoftmaxParams p;
  p.softmax = softmax_params(1.0, input_scale);
  const double reverse = std::ldexp(1.0, 31 - p.softmax.input_left_shift) / p.softmax.input_multiplier;
  const Multiplier m = quantize_multiplier(reverse);  // QuantizeMultiplierSmallerThanOneExp
  p.reverse_multiplier = m.multiplier;
  p.reverse_right_shift = -m.shift;
  return p;
}

AddParams add_params(double input1_scale, double input2_scale, double output_scale, std::int32_t left_shift) {
  AddParams p;
  p.left_shift = left_shift;
  const double twice_max = 2.0 * std::max(input1_scale, input2_scale);
  const double real1 = input1_scale / twice_max;
  const double real2 = input2_scale / twice_max;
  const double real_out = twice_max / (static_cast<double>(1 << p.left_shift) * output_scale);
  p.input1 = quantize_multiplier(real1);  // QuantizeMultiplierSmallerThanOneExp
  p.input2 = quantize_multiplier(real2);
  p.output = quantize_multiplier(real_out);
  return p;
}

AddParams sub_params(float input1_scale, float input2_scale, float output_scale, std::int32_t left_shift) {
  AddParams p;
  p.left_shift = left_shift;
  const float twice_max = 2 * std::max(input1_scale, input2_scale);
  p.input1 = quantize_multiplier(static_cast<double>(input1_scale / twice_max));
  p.input2 = quantize_multiplier(static_cast<double>(input2_scale / twice_max));
  p.output = quantize_multiplier(
      static_cast<double>(twice_max / (static_cast<float>(std::int32_t{1} << left_shift) * output_scale)));
  return p;
}

}  // namespace arenaplan::c_out
