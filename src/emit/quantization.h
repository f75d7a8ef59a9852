// TFLite's quantization arithmetic, done once by the generator so the emitted code carries only
// integers: fixed-point multipliers, activation ranges, SOFTMAX and ADD parameters.
#pragma once

#include <cstdint>
#include <utility>

#include "arenaplan/error.h"
#include "arenaplan/graph.h"

namespace arenaplan::c_out {

struct Multiplier {
  std::int32_t multiplier = 0;  // Q31
  std::int32_t shift = 0;       // > 0: left shift
};

// A multiplier beyond 32-bit fixed point; emit_c adds the model file to the message.
class ScaleOutOfRange : public InputError {
 public:
  using InputError::InputError;
};

// A rounded float as an integer in [lo, hi], clamped before the conversion (NaN gives lo): where
// TFLite converts a float beyond int32 (a tiny output scale), its cast is undefined.
std::int32_t saturate_to(double rounded, std::int32_t lo, std::int32_t hi);

// TFLite's QuantizeMultiplier: real = multiplier * 2^(shift - 31), multiplier in [2^30, 2^31).
Multiplier quantize_multiplier(double real);  // throws ScaleOutOfRange
// The same with any left shift, as TFLite's QuantizeMultiplier leaves it (uint8/int8 MUL only:
// its kernel reproduces what TFLite computes for shifts over 30, see ap_mul_q).
Multiplier quantize_multiplier_unbounded(double real);

// Fused activation (TFLite ActivationFunctionType: 0 none, 1 RELU, 2 RELU_N1_TO_1, 3 RELU6) as
// a range of quantized int8 values (CalculateActivationRangeQuantized) or of floats.
std::pair<std::int32_t, std::int32_t> activation_range_s8(std::int64_t activation, const Quantization& output);
// The same within [qmin, qmax], the range of the output's type (int16: -32768..32767).
std::pair<std::int32_t, std::int32_t> activation_range_quantized(std::int64_t activation, const Quantization& output,
                                                                 std::int32_t qmin, std::int32_t qmax);
std::pair<float, float> activation_range_f32(std::int64_t activation);

struct SoftmaxParams {
  std::int32_t input_multiplier = 0;
  std::int32_t input_left_shift = 0;
  std::int32_t diff_min = 0;
};
// PreprocessSoftmaxScaling + CalculateInputRadius with 5 integer bits (TFLite's int8 SOFTMAX).
SoftmaxParams softmax_params(double beta, double input_scale);

// TFLite Micro's int8 LOG_SOFTMAX preparation (PreprocessLogSoftmaxScalingExp with beta 1): the
// SOFTMAX parameters and the reverse scaling 2^(31 - input_left_shift) / input_multiplier.
struct LogSoftmaxParams {
  SoftmaxParams softmax;
  std::int32_t reverse_multiplier = 0;
  std::int32_t reverse_right_shift = 0;  // >= 0
};
LogSoftmaxParams log_softmax_params(double input_scale);

struct AddParams {
  std::int32_t left_shift = 20;
  Multiplier input1, input2, output;
};
// TFLite's int8 ADD preparation (PrepareGeneralSubOp/CalculateOpData of add.cc), left_shift 20.
AddParams add_params(double input1_scale, double input2_scale, double output_scale, std::int32_t left_shift = 20);
// TFLite Micro's SUB preparation (CalculateOpDataSub of sub_common.cc): the same ratios, but each
// computed in float before widening, so the last bit of a multiplier may differ from ADD's.
AddParams sub_params(float input1_scale, float input2_scale, float output_scale, std::int32_t left_shift);

}  // namespace arenaplan::c_out
