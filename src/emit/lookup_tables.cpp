#include "emit/lookup_tables.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "emit/quantization.h"

namespace arenaplan::c_out {
namespace {

std::pair<std::int32_t, std::int32_t> range_of(const Tensor& t) {
  return t.type == DataType::uint8 ? std::pair{0, 255} : std::pair{-128, 127};
}

float scale(const Tensor& t) { return t.quantization.scale.at(0); }
std::int32_t zero(const Tensor& t) { return static_cast<std::int32_t>(t.quantization.zero_point.at(0)); }

// gemmlowp's int16 primitives, as TFLite's reference HardSwish uses them.
std::int16_t saturating_rounding_doubling_high_mul(std::int16_t a, std::int16_t b) {
  if (a == b && a == std::numeric_limits<std::int16_t>::min()) return std::numeric_limits<std::int16_t>::max();
  const std::int32_t ab = static_cast<std::int32_t>(a) * b;
  const std::int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return static_cast<std::int16_t>((ab + nudge) / (1 << 15));
}

std::int16_t saturating_doubling_high_mul(std::int16_t a, std::int16_t b) {
  if (a == b && a == std::numeric_limits<std::int16_t>::min()) return std::numeric_limits<std::int16_t>::max();
  return static_cast<std::int16_t>(static_cast<std::int32_t>(a) * b / (1 << 15));
}

std::int16_t rounding_divide_by_pot(std::int16_t x, int exponent) {
  const std::int32_t mask = (1 << exponent) - 1;
  const std::int32_t remainder = x & mask;
  const std::int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return static_cast<std::int16_t>((x >> exponent) + (remainder > threshold ? 1 : 0));
}

std::int16_t saturating_left_shift(std::int16_t x, int amount) {
  const std::int32_t v = static_cast<std::int32_t>(x) * (1 << amount);
  return static_cast<std::int16_t>(std::clamp<std::int32_t>(v, INT16_MIN, INT16_MAX));
}

// TFLite's DownScaleInt32ToInt16Multiplier.
std::int16_t to_int16_multiplier(std::int32_t m) {
  constexpr std::int32_t kRounding = 1 << 15;
  if (m >= std::numeric_limits<std::int32_t>::max() - kRounding) return std::numeric_limits<std::int16_t>::max();
  return static_cast<std::int16_t>((m + kRounding) >> 16);
}

}  // namespace

ByteTable float_function_table(TableFunction f, const Tensor& input, const Tensor& output) {
  const auto [qmin, qmax] = range_of(output);
  const float in_scale = scale(input);
  const float inverse_scale = 1 / scale(output);
  ByteTable table{};
  for (std::int32_t q = qmin; q <= qmax; ++q) {
    const float x = in_scale * static_cast<float>(q - zero(input));
    const float y = f == TableFunction::logistic ? 1.0f / (1.0f + std::exp(-x)) : std::tanh(x);
    const float rescaled = std::round(y * inverse_scale) + static_cast<float>(zero(output));
    table[static_cast<std::uint8_t>(q)] = static_cast<std::uint8_t>(saturate_to(rescaled, qmin, qmax));
  }
  return table;
}

ByteTable hard_swish_table(const Tensor& input, const Tensor& output) {
  // HardSwishPrepare: both ratios in float.
  const float hires_input_scale = (1.0f / 128.0f) * scale(input);
  const float reluish_scale = 3.0f / 32768.0f;
  const Multiplier out = quantize_multiplier(static_cast<double>(hires_input_scale / scale(output)));
  const Multiplier reluish = quantize_multiplier(static_cast<double>(hires_input_scale / reluish_scale));
  if (out.shift > 0)
    throw ScaleOutOfRange("HARD_SWISH needs an output scale above the input scale / 128 (TFLite's rule)");
  const std::int16_t out_multiplier = to_int16_multiplier(out.multiplier);
  const std::int16_t reluish_multiplier = to_int16_multiplier(reluish.multiplier);
  const auto [qmin, qmax] = range_of(output);
  ByteTable table{};
  for (std::int32_t q = qmin; q <= qmax; ++q) {
    const auto value = static_cast<std::int16_t>(q - zero(input));
    const auto hires = static_cast<std::int16_t>(value * (1 << 7));
    const std::int16_t preshift_output = saturating_rounding_doubling_high_mul(hires, out_multiplier);
    std::int16_t r = hires;
    if (reluish.shift > 0) r = saturating_left_shift(r, reluish.shift - 1);
    r = saturating_rounding_doubling_high_mul(r, reluish_multiplier);
    if (reluish.shift > 0) r = saturating_left_shift(r, 1);
    if (reluish.shift < 0) r = rounding_divide_by_pot(r, -reluish.shift);
    r = static_cast<std::int16_t>((r + (1 << 15)) >> 1);
    const std::int16_t preshift = saturating_doubling_high_mul(r, preshift_output);
    const std::int32_t y = rounding_divide_by_pot(preshift, -out.shift) + zero(output);
    table[static_cast<std::uint8_t>(q)] = static_cast<std::uint8_t>(std::clamp(y, qmin, qmax));
  }
  return table;
}

// gen_lut in float: each entry is the sample less half the error of interpolating to the
// midpoint, rounded half away from zero (TfLiteRound), clamped to int16.
Int16Table int16_table(Int16TableFunction f) {
  const auto func = [f](float x) { return f == Int16TableFunction::exp ? std::exp(x) : 1.0f / (1.0f + x); };
  const float input_min = f == Int16TableFunction::exp ? -10.0f : 0.0f;
  const float input_max = f == Int16TableFunction::exp ? 0.0f : 1.0f;
  const float output_min = -1.0f, output_max = 1.0f;
  constexpr int kSteps = 512;
  const float step = (input_max - input_min) / kSteps;
  const float half_step = step / 2;
  const float scaling_inv = static_cast<float>(32767 - (-32768) + 1) / (output_max - output_min);
  const auto clamp = [](float v) { return static_cast<std::int16_t>(std::min(std::max(v, -32768.0f), 32767.0f)); };
  Int16Table lut{};
  for (int i = 0; i < kSteps; ++i) {
    const float val = func(input_min + static_cast<float>(i) * step);
    const float val_midpoint = func(input_min + static_cast<float>(i) * step + half_step);
    const float val_next = func(input_min + static_cast<float>(i + 1) * step);
    const float sample = std::round(val * scaling_inv);
    const float midpoint_interp = std::round((val_next * scaling_inv + std::round(val * scaling_inv)) / 2);
    const float midpoint = std::round(val_midpoint * scaling_inv);
    const float bias = std::round((midpoint_interp - midpoint) / 2);
    lut[static_cast<std::size_t>(i)] = clamp(sample - bias);
  }
  lut[kSteps] = clamp(std::round(func(input_max) * scaling_inv));
  return lut;
}

}  // namespace arenaplan::c_out
