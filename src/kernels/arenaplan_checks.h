// Operand checks shared by the `arenaplan` profile's rule tables (arenaplan_profile.cpp,
// arenaplan_generic_rules.cpp).
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/operator_view.h"

namespace arenaplan::kernels {

inline bool all_of_type(const OperatorView& v, DataType type, std::size_t inputs) {
  for (std::size_t i = 0; i < inputs; ++i)
    if (v.input(i).type != type) return false;
  return v.output(0).type == type;
}

// A per-tensor quantized int8, uint8, int16 or int32 tensor with a zero point in its type's range.
inline bool integer_quantized(const Tensor& t) {
  const Quantization& q = t.quantization;
  if (q.scale.size() != 1 || q.zero_point.size() != 1 || !(q.scale[0] > 0.0f) || !std::isfinite(q.scale[0]))
    return false;
  const std::int64_t zero = q.zero_point[0];
  switch (t.type) {
    case DataType::int8: return zero >= -128 && zero <= 127;
    case DataType::uint8: return zero >= 0 && zero <= 255;
    case DataType::int16: return zero >= -32768 && zero <= 32767;
    case DataType::int32: return zero == 0;
    default: return false;
  }
}

// Data movement (runtime/kernels_shape.c) copies whole elements: any type of 1, 2 or 4 bytes,
// with the quantization of the output unchanged from the input (no requantization).
inline bool movable(const Tensor& t) {
  switch (t.type) {
    case DataType::int8:
    case DataType::uint8:
    case DataType::int16:
    case DataType::int32:
    case DataType::float32: return true;
    default: return false;
  }
}

// A type the runtime's typed kernels take (AP_S8 ... AP_BOOL of runtime/arenaplan_kernels.h).
inline bool runtime_typed(DataType t) {
  switch (t) {
    case DataType::int8:
    case DataType::uint8:
    case DataType::int16:
    case DataType::int32:
    case DataType::uint32:
    case DataType::int64:
    case DataType::float32:
    case DataType::boolean: return true;
    default: return false;
  }
}

}  // namespace arenaplan::kernels
