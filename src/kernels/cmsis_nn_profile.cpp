// Kernel profile `cmsis-nn`: TensorFlow Lite Micro's CMSIS-NN kernels
// (tensorflow/lite/micro/kernels/cmsis_nn/*.cc) on a Cortex-M with the DSP extension
// (ARM_MATH_DSP, no MVE), built with GCC. Buffer sizes are CMSIS-NN's *_get_buffer_size*
// functions (ARM-software/CMSIS-NN, Source/*/). Operators CMSIS-NN does not optimise (and float
// operators) fall back to TFLite Micro's reference kernels: the `reference` rules apply.
#include <array>

#include "kernels/rules.h"

namespace arenaplan::kernels {
namespace {

std::int64_t align4(std::int64_t n) { return (n + 3) / 4 * 4; }

// arm_convolve_wrapper_s8_get_buffer_size_dsp (arm_convolve_get_buffer_sizes_s8.c), called from
// cmsis_nn/conv.cc Prepare for int8 input and int8 filter:
//  * 1x1 kernel, no padding, no dilation: arm_convolve_1x1_s8_fast (stride 1) needs 2*C_in
//    int16 only with armclang, 0 with GCC; arm_convolve_1x1_s8 (other strides) needs 0;
//  * 1xN and general kernels: arm_convolve_s8_get_buffer_size, two im2col columns of
//    align4(KW*KH*C_in) int16 values: 2 * align4(KW*KH*C_in) * 2 bytes.
std::optional<OperatorMemory> conv_s8(const OperatorView& v) {
  const Tensor& input = v.input(0);
  const Tensor& filter = v.input(1);
  if (input.type == DataType::float32) return std::nullopt;  // reference float kernel
  if (input.type != DataType::int8 || filter.type != DataType::int8)
    return not_modelled("CMSIS-NN conv rule covers int8 input with int8 filter only");
  const std::int64_t kh = v.dim(filter, 1), kw = v.dim(filter, 2), c_in = v.dim(input, 3);
  const std::int64_t dil_h = v.attribute("dilation_h", 1), dil_w = v.attribute("dilation_w", 1);
  const std::int64_t pad_h = v.padding(v.dim(input, 1), kh, v.attribute("stride_h", 1), dil_h);
  const std::int64_t pad_w = v.padding(v.dim(input, 2), kw, v.attribute("stride_w", 1), dil_w);
  OperatorMemory m;
  const bool is_1x1 =
      kh == 1 && kw == 1 && pad_h == 0 && pad_w == 0 && dil_h == 1 && dil_w == 1 && v.dim(filter, 3) == c_in;
  if (!is_1x1)
    m.scratch = {{checked_product(v, {2, align4(checked_product(v, {kw, kh, c_in})), 2}), "im2col (int16)", 0, 0}};
  return m;
}

// arm_depthwise_conv_wrapper_s8_get_buffer_size_dsp (arm_depthwise_conv_get_buffer_sizes_s8.c),
// from cmsis_nn/depthwise_conv.cc Prepare: with C_in == C_out, batch 1 and no dilation, a 3x3
// kernel with padding <= 1 runs arm_depthwise_conv_3x3_s8 (no buffer); otherwise
// arm_depthwise_conv_s8_opt needs C_in*KW*KH int16 values. Other shapes (depth multiplier > 1)
// run arm_depthwise_conv_s8 with no buffer.
std::optional<OperatorMemory> depthwise_s8(const OperatorView& v) {
  const Tensor& input = v.input(0);
  const Tensor& filter = v.input(1);
  if (input.type == DataType::float32) return std::nullopt;
  if (input.type != DataType::int8 || filter.type != DataType::int8)
    return not_modelled("CMSIS-NN depthwise rule covers int8 input with int8 filter only");
  const std::int64_t kh = v.dim(filter, 1), kw = v.dim(filter, 2);
  const std::int64_t c_in = v.dim(input, 3), c_out = v.dim(v.output(0), 3);
  const std::int64_t dil_h = v.attribute("dilation_h", 1), dil_w = v.attribute("dilation_w", 1);
  OperatorMemory m;
  if (c_in == c_out && v.dim(input, 0) == 1 && dil_h == 1 && dil_w == 1) {
    const std::int64_t pad_h = v.padding(v.dim(input, 1), kh, v.attribute("stride_h", 1), dil_h);
    const std::int64_t pad_w = v.padding(v.dim(input, 2), kw, v.attribute("stride_w", 1), dil_w);
    const bool three_by_three = kh == 3 && kw == 3 && pad_h <= 1 && pad_w <= 1;
    if (!three_by_three) m.scratch = {{checked_product(v, {c_in, kw, kh, 2}), "im2col (int16)", 0, 0}};
  }
  return m;
}

// arm_fully_connected_s8_get_buffer_size (arm_fully_connected_get_buffer_sizes_s8.c), from
// cmsis_nn/fully_connected.cc Prepare: 0 bytes with DSP (MVE would need C_out int32). The
// batched path (output rank > 2, treated as a 1x1 conv) is not modelled.
std::optional<OperatorMemory> fully_connected_s8(const OperatorView& v) {
  const Tensor& input = v.input(0);
  if (input.type == DataType::float32) return std::nullopt;
  if (input.type != DataType::int8 || v.input(1).type != DataType::int8)
    return not_modelled("CMSIS-NN fully-connected rule covers int8 input with int8 weights only");
  if (v.output(0).shape.size() > 2) return not_modelled("CMSIS-NN batched fully-connected (output rank > 2)");
  return OperatorMemory{};
}

// arm_avgpool_s8_get_buffer_size (arm_avgpool_s8.c), from cmsis_nn/pooling.cc AveragePrepare:
// one int32 sum per channel with DSP (0 with MVE).
std::optional<OperatorMemory> average_pool_s8(const OperatorView& v) {
  const Tensor& input = v.input(0);
  if (input.type == DataType::float32) return std::nullopt;
  if (input.type != DataType::int8) return not_modelled("CMSIS-NN average-pool rule covers int8 only");
  OperatorMemory m;
  m.scratch = {{checked_product(v, {v.dim(v.output(0), 3), 4}), "channel sums (int32)", 0, 0}};
  return m;
}

// cmsis_nn/svdf.cc Prepare: the two reference int32 buffers (same use and stages as the
// reference kernel, see reference_profile.cpp), for an int16 or int8 state alike. The
// arm_svdf_s8_get_buffer_size kernel sums (int8 state; 0 bytes with DSP) are a persistent buffer,
// in TFLite Micro's tail, not a scratch buffer of the head.
std::optional<OperatorMemory> svdf_s8(const OperatorView& v) {
  if (v.input(0).type != DataType::int8) return std::nullopt;
  for (const Rule& rule : reference_rules())
    if (rule.opcode == "SVDF") return rule.apply(v);
  return std::nullopt;
}

// cmsis_nn/unidirectional_sequence_lstm.cc Prepare: int8/int16 activations with an int16 cell
// state use arm_lstm_unidirectional_s8/s16 and request 3 gate buffers (the reference kernel 4).
std::optional<OperatorMemory> lstm_s8_s16(const OperatorView& v) {
  const DataType type = v.input(0).type;
  if (type != DataType::int8 && type != DataType::int16) return std::nullopt;
  return lstm_gate_buffers(v, 3);
}

constexpr std::array<Rule, 6> kCmsisNnRules{{
    {"CONV_2D", "arm_convolve_wrapper_s8_get_buffer_size_dsp", conv_s8},
    {"DEPTHWISE_CONV_2D", "arm_depthwise_conv_wrapper_s8_get_buffer_size_dsp", depthwise_s8},
    {"FULLY_CONNECTED", "arm_fully_connected_s8_get_buffer_size", fully_connected_s8},
    {"AVERAGE_POOL_2D", "arm_avgpool_s8_get_buffer_size", average_pool_s8},
    {"SVDF", "cmsis_nn/svdf.cc Prepare + arm_svdf_s8_get_buffer_size", svdf_s8},
    {"UNIDIRECTIONAL_SEQUENCE_LSTM", "cmsis_nn/unidirectional_sequence_lstm.cc Prepare", lstm_s8_s16},
}};

}  // namespace

std::span<const Rule> cmsis_nn_rules() { return kCmsisNnRules; }

}  // namespace arenaplan::kernels
