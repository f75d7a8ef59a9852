// The `arenaplan` profile's uint8 kernels (runtime/kernels_uint8.c): TFLite's legacy asymmetric
// scheme, every operand quantized per tensor with a zero point in 0..255.
#pragma once

#include <optional>

#include "kernels/operator_view.h"

namespace arenaplan::kernels {

// The uint8 kernel of a CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, AVERAGE_POOL_2D,
// MAX_POOL_2D, SOFTMAX or rescaling CONCATENATION whose input is uint8: the kernel, or not_modelled with the reason.
// Nothing when the operator's input is not uint8 (the int8 / float32 rules decide).
std::optional<OperatorMemory> uint8_kernel(const OperatorView& v);

// A per-tensor uint8 quantization: one finite positive scale, one zero point in 0..255.
bool quantized_u8(const Tensor& t);

}  // namespace arenaplan::kernels
