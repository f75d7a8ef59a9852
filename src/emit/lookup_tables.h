// 256-entry tables of 8-bit element-wise operators (the runtime's ap_lookup_8bit), indexed by
// the input byte: each entry is what TFLite 2.9 computes for that input value.
#pragma once

#include <array>
#include <cstdint>

#include "arenaplan/graph.h"

namespace arenaplan::c_out {

using ByteTable = std::array<std::uint8_t, 256>;

enum class TableFunction { logistic, tanh };
// LOGISTIC / TANH as TFLite's PopulateLookupTable: dequantize, transform, requantize, in float.
ByteTable float_function_table(TableFunction f, const Tensor& input, const Tensor& output);

// HARD_SWISH as TFLite's HardSwishPrepare and reference_ops::HardSwish (16-bit fixed point).
// Throws ScaleOutOfRange when TFLite would refuse the scales (an output multiplier above 1).
ByteTable hard_swish_table(const Tensor& input, const Tensor& output);

// int16 SOFTMAX's tables as TFLite Micro's SoftmaxPrepare builds them (gen_lut<float, int16_t,
// int16_t>, 513 entries): exp on [-10, 0] and 1 / (1 + x) on [0, 1], both to [-1, 1].
using Int16Table = std::array<std::int16_t, 513>;
enum class Int16TableFunction { exp, one_over_one_plus_x };
Int16Table int16_table(Int16TableFunction f);

}  // namespace arenaplan::c_out
