// TFLite Micro's int16 LOGISTIC / TANH preparation (logistic_common.cc, tanh.cc), shared by the
// `arenaplan` rule (which refuses what TFLite Micro refuses) and the C emitter (which writes the
// kernel's multiplier and shift).
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>

namespace arenaplan::kernels {

// TFLite's CheckedLog2: log2(x) rounded, if within 1e-3 of an integer (float arithmetic).
inline std::optional<int> checked_log2(float x) {
  const float log2 = std::log(x) * (1.0f / std::log(2.0f));
  const float rounded = std::round(log2);
  if (!(std::fabs(log2 - rounded) < 1e-3f)) return std::nullopt;
  return static_cast<int>(rounded);
}

struct Int16ActivationScaling {
  std::int32_t multiplier = 0;
  std::int32_t right_shift = 0;
};

// The input rescaling to 1 / (3 * 4096) per step. A power-of-two input scale of 2^-12 (TANH also
// 2^-11) gives TFLite's multiplier 0, which its kernel turns into 3 << shift with no shift;
// otherwise the multiplier is scale * 3 * 4096 doubled up to above 32767 / 2, truncated, with one
// right shift per doubling. Empty when the multiplier would exceed 16 bits (TFLite's DCHECK).
inline std::optional<Int16ActivationScaling> int16_activation_scaling(float input_scale, bool tanh) {
  const std::optional<int> log2 = checked_log2(input_scale);
  const int left_shift = log2 ? 12 + *log2 : -1;
  if (log2 && (left_shift == 0 || (tanh && left_shift == 1))) return Int16ActivationScaling{3 << left_shift, 0};
  double multiplier = static_cast<double>(input_scale) * 4096.0 * 3.0;
  std::int32_t shift = 0;
  while (multiplier <= 32767.0 / 2.0 && shift <= 30) {
    ++shift;
    multiplier *= 2.0;
  }
  if (multiplier > 32767.0) return std::nullopt;
  return Int16ActivationScaling{static_cast<std::int32_t>(multiplier), shift};
}

}  // namespace arenaplan::kernels
