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

}  // namespace arenaplan::c_out
