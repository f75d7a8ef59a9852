// Kernel profile `arenaplan`: the project's own C99 kernels (runtime/arenaplan_kernels.c), the
// ones `arenaplan compile` emits calls to. The profile is the single statement of which operators
// and types the kernels take and what memory they need, so the planner and the generated code
// agree by construction. The kernels read their operands directly from the planned tensors (no
// padding copies, no im2col), so most are a single stage with no scratch buffer. The hybrid
// kernels (float32 activations, int8 weights) are two stages: stage 0 quantizes the float input
// into scratch, stage 1 computes the output from the scratch alone, so the input is dead when the
// output is written and the two may share bytes. An operator or type combination without a
// kernel is reported as unknown, with the reason.
#include <array>
#include <cmath>

#include "kernels/arenaplan_checks.h"
#include "kernels/arenaplan_resize.h"
#include "kernels/arenaplan_uint8.h"
#include "kernels/kernel_ids.h"
#include "kernels/rules.h"
#include "kernels/shape_geometry.h"

namespace arenaplan::kernels {
namespace {

bool per_channel_ok(const Tensor& t, std::int32_t axis) {
  const Quantization& q = t.quantization;
  return q.scale.size() == 1 || (q.axis == axis && axis >= 0 && static_cast<std::size_t>(axis) < t.shape.size() &&
                                 t.shape[static_cast<std::size_t>(axis)] == static_cast<std::int64_t>(q.scale.size()));
}

// Scales finite and positive, zero points in the int8 range.
bool quantized(const Tensor& t) {
  const Quantization& q = t.quantization;
  if (q.empty()) return false;
  for (float scale : q.scale)
    if (!(scale > 0.0f) || !std::isfinite(scale)) return false;
  for (std::int64_t zero : q.zero_point)
    if (zero < -128 || zero > 127) return false;
  return true;
}

bool positive_dims(const Tensor& t) {
  for (std::int64_t d : t.shape)
    if (d <= 0) return false;
  return true;
}

// One stage, no scratch, running kernel `id`.
OperatorMemory runs(KernelId id) { return no_scratch(kernel_function(id)); }

constexpr std::int64_t kFloat32 = 4;
constexpr std::int64_t kInt32 = 4;

// Which input quantization TFLite's hybrid kernel uses (and ours reproduces, with a zero point
// per batch in a third scratch buffer): conv.cc takes EvalHybridPerChannel (asymmetric) only when
// the filter's channel scales are not all equal, depthwise_conv.cc always, fully_connected.cc
// when its asymmetric_quantize_inputs option is set.
bool hybrid_asymmetric(const OperatorView& v) {
  const std::string& opcode = v.op().opcode;
  if (opcode == "DEPTHWISE_CONV_2D") return true;
  if (opcode == "FULLY_CONNECTED") return v.attribute("asymmetric_quantize_inputs", 0) != 0;
  const std::vector<float>& scales = v.input(1).quantization.scale;
  for (float scale : scales)
    if (scale != scales.front()) return true;
  return false;
}

// ap_conv2d_hybrid / ap_depthwise_conv2d_hybrid / ap_fully_connected_hybrid (runtime/): stage 0
// reads the float input (its last use) and writes the int8 quantized input (one byte per input
// element), the per-batch scales (float) and, asymmetric, the per-batch zero points (int32);
// stage 1 reads those and the weights and writes the output.
std::optional<OperatorMemory> hybrid(const OperatorView& v, std::int32_t channel_axis, KernelId kernel) {
  const Tensor& input = v.input(0);
  const Tensor& weights = v.input(1);
  if (v.has_input(2) && v.input(2).type != DataType::float32) return not_modelled("hybrid kernel needs a float32 bias");
  if (!quantized(weights) || !per_channel_ok(weights, channel_axis))
    return not_modelled("int8 weights without usable quantization parameters");
  for (std::int64_t zero : weights.quantization.zero_point)
    if (zero != 0) return not_modelled("hybrid kernel needs int8 weights with zero point 0");
  const bool fc = v.op().opcode == "FULLY_CONNECTED";
  if (fc && input.elements() % v.dim(weights, 1) != 0)
    return not_modelled("input size is not a multiple of the weights' depth");
  const std::int64_t batches = fc ? input.elements() / v.dim(weights, 1) : v.dim(input, 0);
  OperatorMemory m;
  m.kernel = std::string(kernel_function(kernel));
  m.stages = 2;
  m.input_last_stage = {0, 1, 1};  // input; weights and bias are read in stage 1
  m.output_first_stage = 1;
  m.scratch = {{checked_product(v, {input.elements()}), "quantized input (int8)", 0, 1},
               {checked_product(v, {batches, kFloat32}), "per-batch input scales", 0, 1}};
  if (hybrid_asymmetric(v))
    m.scratch.push_back({checked_product(v, {batches, kInt32}), "per-batch input zero points", 0, 1});
  return m;
}

// CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED: int8 activations with int8 weights (per-channel
// along the output dimension) and an optional int32 bias, float32 throughout, or hybrid (float32
// activations and bias, int8 weights).
std::optional<OperatorMemory> weighted(const OperatorView& v, std::int32_t channel_axis, KernelId kernel_s8,
                                       KernelId kernel_f32, KernelId kernel_hybrid, std::size_t rank) {
  const Tensor& input = v.input(0);
  const Tensor& weights = v.input(1);
  if (input.shape.size() < 1 || weights.shape.size() != rank) return not_modelled("unsupported operand ranks");
  if (!positive_dims(input) || !positive_dims(weights) || !positive_dims(v.output(0)))
    return not_modelled("empty operands");
  const bool has_bias = v.has_input(2);
  const std::int64_t channels = weights.shape[channel_axis == 0 ? 0 : rank - 1];
  if (has_bias && v.input(2).elements() != channels) return not_modelled("bias size differs from the output channels");
  if (input.type == DataType::int8 && weights.type == DataType::int8 && v.output(0).type == DataType::int8) {
    if (has_bias && v.input(2).type != DataType::int32) return not_modelled("int8 kernel needs an int32 bias");
    if (!quantized(input) || !quantized(weights) || !quantized(v.output(0)) || !per_channel_ok(weights, channel_axis))
      return not_modelled("int8 operands without usable quantization parameters");
    return runs(kernel_s8);
  }
  if (input.type == DataType::float32 && weights.type == DataType::float32 && v.output(0).type == DataType::float32 &&
      (!has_bias || v.input(2).type == DataType::float32))
    return runs(kernel_f32);
  if (input.type == DataType::float32 && weights.type == DataType::int8 && v.output(0).type == DataType::float32)
    return hybrid(v, channel_axis, kernel_hybrid);
  return not_modelled("types other than int8 or float32 throughout");
}

std::optional<OperatorMemory> conv16x8(const OperatorView& v, std::size_t input, std::size_t bias, KernelId id);

std::optional<OperatorMemory> conv(const OperatorView& v) {
  if (auto u8 = uint8_kernel(v)) return u8;
  if (v.input(0).type == DataType::int16) return conv16x8(v, 0, 2, KernelId::conv2d_s16);
  return weighted(v, 0, KernelId::conv2d_s8, KernelId::conv2d_f32, KernelId::conv2d_hybrid, 4);
}
std::optional<OperatorMemory> depthwise(const OperatorView& v) {
  if (auto u8 = uint8_kernel(v)) return u8;
  return weighted(v, 3, KernelId::depthwise_conv2d_s8, KernelId::depthwise_conv2d_f32,
                  KernelId::depthwise_conv2d_hybrid, 4);
}
std::optional<OperatorMemory> fully_connected(const OperatorView& v) {
  if (auto u8 = uint8_kernel(v)) return u8;
  if (v.attribute("weights_format", 0) != 0) return not_modelled("shuffled FULLY_CONNECTED weights");
  return weighted(v, 0, KernelId::fully_connected_s8, KernelId::fully_connected_f32, KernelId::fully_connected_hybrid,
                  2);
}

std::optional<OperatorMemory> add(const OperatorView& v) {
  // int32 with broadcasting: ap_binary_s32 (runtime/kernels_binary.c).
  if (all_of_type(v, DataType::int32, 2) && broadcast_geometry(v)) return runs(KernelId::binary_s32);
  if (auto u8 = uint8_kernel(v)) return u8;
  const bool same = v.input(0).shape == v.input(1).shape && v.input(0).shape == v.output(0).shape;
  // float32 with broadcasting (a bias added after a dilated convolution): ap_binary_f32.
  if (!same && all_of_type(v, DataType::float32, 2) && broadcast_geometry(v)) return runs(KernelId::binary_f32);
  if (!same) return not_modelled("ADD with broadcasting takes float32 or int32 (quantized: not implemented)");
  if (all_of_type(v, DataType::int8, 2)) {
    if (!quantized(v.input(0)) || !quantized(v.input(1)) || !quantized(v.output(0)))
      return not_modelled("int8 ADD without quantization");
    return runs(KernelId::add_s8);
  }
  if (all_of_type(v, DataType::float32, 2)) return runs(KernelId::add_f32);
  return not_modelled("ADD takes int8 or float32");
}

std::optional<OperatorMemory> pool(const OperatorView& v, KernelId s8, KernelId f32) {
  if (auto u8 = uint8_kernel(v)) return u8;
  if (v.input(0).shape.size() != 4 || v.output(0).shape.size() != 4) return not_modelled("pooling needs 4-D operands");
  if (all_of_type(v, DataType::int8, 1))
    return quantized(v.output(0)) ? runs(s8) : not_modelled("int8 pooling without quantization");
  if (all_of_type(v, DataType::float32, 1)) return runs(f32);
  return not_modelled("pooling takes int8 or float32");
}
std::optional<OperatorMemory> average_pool(const OperatorView& v) {
  return pool(v, KernelId::average_pool_s8, KernelId::average_pool_f32);
}
std::optional<OperatorMemory> max_pool(const OperatorView& v) {
  return pool(v, KernelId::max_pool_s8, KernelId::max_pool_f32);
}

std::optional<OperatorMemory> softmax(const OperatorView& v) {
  if (auto u8 = uint8_kernel(v)) return u8;
  if (v.input(0).elements() != v.output(0).elements()) return not_modelled("SOFTMAX changes the element count");
  if (all_of_type(v, DataType::int8, 1)) {
    if (!quantized(v.input(0))) return not_modelled("int8 SOFTMAX without input quantization");
    const Quantization& out = v.output(0).quantization;
    if (out.scale.size() != 1 || out.zero_point[0] != -128 || out.scale[0] != 1.0f / 256.0f)
      return not_modelled("int8 SOFTMAX needs output scale 1/256 and zero point -128");
    return runs(KernelId::softmax_s8);
  }
  if (all_of_type(v, DataType::float32, 1)) return runs(KernelId::softmax_f32);
  // int8 in, int16 out (the keyword models' last step): TFLite Micro requires zero point -32768 and
  // scale 1/65536 within 0.1 % (CalculateSoftmaxParams), and computes as if it were exact.
  const Quantization& out = v.output(0).quantization;
  if (v.input(0).type == DataType::int8 && v.output(0).type == DataType::int16 && quantized(v.input(0)) &&
      out.scale.size() == 1 && out.zero_point.size() == 1 && out.zero_point[0] == -32768 &&
      std::abs(out.scale[0] - 1.0f / 65536.0f) <= 0.001f / 65536.0f)
    return runs(KernelId::softmax_s8_s16);
  // int16 in and out (TFLite Micro's SoftmaxInt16): output zero point 0, scale 2^-15 within 0.1 %.
  if (all_of_type(v, DataType::int16, 1) && integer_quantized(v.input(0)) && out.scale.size() == 1 &&
      out.zero_point.size() == 1 && out.zero_point[0] == 0 &&
      std::abs(out.scale[0] - 1.0f / 32768.0f) <= 0.001f / 32768.0f && !v.input(0).shape.empty())
    return runs(KernelId::softmax_s16);
  return not_modelled("SOFTMAX takes int8 (int8 or int16 output), int16 or float32");
}

std::optional<OperatorMemory> quantize(const OperatorView& v) {
  const Tensor& in = v.input(0);
  const Tensor& out = v.output(0);
  if (in.elements() != out.elements()) return not_modelled("QUANTIZE changes the element count");
  // Between integer types other than int8 -> int8 (ap_requantize_s8 below), as TFLite Micro's
  // quantize.cc: int8, uint8 and int16 in, int8, uint8, int16 and int32 out.
  if (in.type != DataType::float32 && in.type != DataType::int32 && integer_quantized(in) && integer_quantized(out) &&
      !(in.type == DataType::int8 && out.type == DataType::int8))
    return runs(KernelId::requantize);
  if (in.type == DataType::float32 && (out.type == DataType::uint8 || out.type == DataType::int16) &&
      integer_quantized(out))
    return runs(KernelId::quantize_f32);  // runtime/kernels_quantize.c
  if (out.type != DataType::int8 || out.quantization.scale.size() != 1 || !quantized(out))
    return not_modelled("QUANTIZE to per-tensor int8 only");
  if (in.type == DataType::float32) return runs(KernelId::quantize_f32_s8);
  if (in.type == DataType::int8 && in.quantization.scale.size() == 1 && quantized(in))
    return runs(KernelId::requantize_s8);
  return not_modelled("QUANTIZE from float32 to int8, uint8 or int16, or between int8, uint8, int16 and int32");
}

std::optional<OperatorMemory> dequantize(const OperatorView& v) {
  if (v.input(0).elements() != v.output(0).elements()) return not_modelled("DEQUANTIZE changes the element count");
  if (v.input(0).type == DataType::int8 && v.output(0).type == DataType::float32 &&
      v.input(0).quantization.scale.size() == 1 && quantized(v.input(0)))
    return runs(KernelId::dequantize_s8_f32);
  if ((v.input(0).type == DataType::uint8 || v.input(0).type == DataType::int16) &&
      v.output(0).type == DataType::float32 && integer_quantized(v.input(0)))
    return runs(KernelId::dequantize_f32);  // runtime/kernels_quantize.c
  return not_modelled("DEQUANTIZE from per-tensor int8, uint8 or int16 to float32 only");
}

std::optional<OperatorMemory> reshape(const OperatorView& v) {
  if (v.input(0).bytes != v.output(0).bytes) return not_modelled("reshape changes the byte count");
  return runs(KernelId::copy);
}

bool same_quantization(const Tensor& a, const Tensor& b) {
  return a.type == b.type && a.quantization.scale == b.quantization.scale &&
         a.quantization.zero_point == b.quantization.zero_point;
}

std::optional<OperatorMemory> pad(const OperatorView& v) {
  const Tensor& in = v.input(0);
  if (!movable(in) || !same_quantization(in, v.output(0))) return not_modelled("PAD keeps the type and quantization");
  if (v.has_input(2) && (v.input(2).type != in.type || v.input(2).elements() != 1))
    return not_modelled("PADV2's constant is not one value of the input's type");
  if (!pad_geometry(v)) return not_modelled("PAD of up to 5 dimensions with constant paddings");
  return runs(KernelId::pad);
}

std::optional<OperatorMemory> slice(const OperatorView& v) {
  if (!movable(v.input(0)) || !same_quantization(v.input(0), v.output(0)))
    return not_modelled("slicing keeps the type and quantization");
  if (!slice_geometry(v))
    return not_modelled("a non-empty slice of up to 5 dimensions with constant bounds, no ellipsis or new axes");
  return runs(KernelId::slice);
}

std::optional<OperatorMemory> concatenation(const OperatorView& v) {
  if (auto u8 = uint8_kernel(v)) return u8;
  const Tensor& out = v.output(0);
  if (!movable(out) || v.attribute("fused_activation", 0) != 0)
    return not_modelled("CONCATENATION without a fused activation");
  for (std::size_t i = 0; i < v.input_count(); ++i)
    if (!same_quantization(v.input(i), out)) return not_modelled("CONCATENATION of inputs quantized like the output");
  if (!concat_geometry(v)) return not_modelled("CONCATENATION of up to 5 dimensions");
  return runs(KernelId::concatenation);
}

std::optional<OperatorMemory> split(const OperatorView& v) {
  const Tensor& in = v.input(v.op().opcode == "SPLIT_V" ? 0 : 1);
  if (!movable(in)) return not_modelled("SPLIT of a 1, 2 or 4-byte type");
  for (std::size_t i = 0; i < v.output_count(); ++i)
    if (!same_quantization(in, v.output(i))) return not_modelled("SPLIT keeps the type and quantization");
  if (!split_geometry(v)) return not_modelled("SPLIT with a constant axis, up to 5 dimensions");
  return runs(KernelId::split);
}

std::optional<OperatorMemory> gather(const OperatorView& v) {
  if (!movable(v.input(0)) || !same_quantization(v.input(0), v.output(0)))
    return not_modelled("GATHER keeps the type and quantization");
  if (!gather_geometry(v)) return not_modelled("GATHER with batch_dims 0 and int32 or int64 indices");
  return runs(KernelId::gather);
}

// MEAN in float32; MEAN and SUM in int8, uint8 and int16 as TFLite Micro's reference reduce, each
// output element summed on its own (no accumulator scratch, unlike TFLite Micro's).
std::optional<OperatorMemory> mean(const OperatorView& v) {
  const bool sum = v.op().opcode == "SUM";
  const DataType t = v.output(0).type;
  const bool integer = (t == DataType::int8 || t == DataType::uint8 || t == DataType::int16) && all_of_type(v, t, 1) &&
                       integer_quantized(v.input(0)) && integer_quantized(v.output(0));
  if (!integer && (sum || !all_of_type(v, DataType::float32, 1)))
    return not_modelled(sum ? "SUM takes int8, uint8 or int16 quantized per tensor"
                            : "MEAN takes float32, or int8, uint8 or int16 quantized per tensor");
  if (!reduce_geometry(v)) return not_modelled("MEAN / SUM of up to 5 dimensions over constant axes");
  return runs(integer ? KernelId::mean_sum_q : KernelId::mean_f32);
}

// int16 as TFLite Micro's 16x8 scheme: symmetric, zero point 0.
bool quantized_s16(const Tensor& t) {
  const Quantization& q = t.quantization;
  return t.type == DataType::int16 && q.scale.size() == 1 && q.zero_point.size() == 1 && q.zero_point[0] == 0 &&
         q.scale[0] > 0.0f && std::isfinite(q.scale[0]);
}

bool same_shapes(const OperatorView& v) {
  return v.input(0).shape == v.input(1).shape && v.input(0).shape == v.output(0).shape;
}

std::optional<OperatorMemory> sub(const OperatorView& v) {
  if (!same_shapes(v) && !broadcast_geometry(v)) return not_modelled("SUB broadcasting over more than 5 dimensions");
  if (quantized_s16(v.input(0)) && quantized_s16(v.input(1)) && quantized_s16(v.output(0)))
    return runs(same_shapes(v) ? KernelId::sub_s16 : KernelId::sub_s16_broadcast);
  return not_modelled("SUB takes int16 (zero point 0)");
}

std::optional<OperatorMemory> leaky_relu(const OperatorView& v) {
  if (v.input(0).elements() != v.output(0).elements()) return not_modelled("LEAKY_RELU changes the element count");
  if (all_of_type(v, DataType::float32, 1)) return runs(KernelId::leaky_relu_f32);
  if (quantized_s16(v.input(0)) && quantized_s16(v.output(0))) return runs(KernelId::leaky_relu_s16);
  return not_modelled("LEAKY_RELU takes float32 or int16");
}

// CONV_2D and TRANSPOSE_CONV in TFLite's 16x8 scheme: int16 input and output (zero point 0), int8
// weights per output channel (zero point 0), int64 bias or none; 4-D NHWC, weights OHWI.
std::optional<OperatorMemory> conv16x8(const OperatorView& v, std::size_t input, std::size_t bias, KernelId id) {
  const Tensor& in = v.input(input);
  const Tensor& weights = v.input(1);
  const Tensor& out = v.output(0);
  if (!quantized_s16(in) || !quantized_s16(out)) return not_modelled("16x8 kernel needs int16 with zero point 0");
  if (weights.type != DataType::int8 || !quantized(weights) || !per_channel_ok(weights, 0))
    return not_modelled("16x8 kernel needs int8 weights quantized per output channel");
  for (std::int64_t zero : weights.quantization.zero_point)
    if (zero != 0) return not_modelled("16x8 kernel needs weights with zero point 0");
  if (in.shape.size() != 4 || weights.shape.size() != 4 || out.shape.size() != 4 || !positive_dims(in) ||
      !positive_dims(weights) || !positive_dims(out))
    return not_modelled("16x8 kernel needs non-empty 4-D operands");
  if (v.has_input(bias) && (v.input(bias).type != DataType::int64 || v.input(bias).elements() != out.shape[3]))
    return not_modelled("16x8 kernel needs an int64 bias per output channel");
  if (v.attribute("fused_activation", 0) != 0 && id == KernelId::transpose_conv_s16)
    return not_modelled("TRANSPOSE_CONV with a fused activation");
  return runs(id);
}

std::optional<OperatorMemory> transpose_conv(const OperatorView& v) {
  // Inputs: output shape (TFLite Micro uses the output tensor's static shape, as here), weights,
  // input, bias.
  if (v.input(2).type == DataType::int16) return conv16x8(v, 2, 3, KernelId::transpose_conv_s16);
  return not_modelled("TRANSPOSE_CONV takes int16 (16x8)");
}

std::optional<OperatorMemory> local_response_normalization(const OperatorView& v) {
  if (!all_of_type(v, DataType::float32, 1) || v.input(0).shape != v.output(0).shape || v.input(0).shape.empty())
    return not_modelled("LOCAL_RESPONSE_NORMALIZATION takes float32 and keeps the shape");
  if (v.attribute("radius", -1) < 0) return not_modelled("LOCAL_RESPONSE_NORMALIZATION needs a radius");
  return runs(KernelId::lrn_f32);
}

constexpr std::array<Rule, 30> kArenaplanRules{{
    {"CONV_2D", "ap_conv2d", conv},
    {"DEPTHWISE_CONV_2D", "ap_depthwise_conv2d", depthwise},
    {"FULLY_CONNECTED", "ap_fully_connected", fully_connected},
    {"ADD", "ap_add", add},
    {"AVERAGE_POOL_2D", "ap_average_pool", average_pool},
    {"MAX_POOL_2D", "ap_max_pool", max_pool},
    {"SOFTMAX", "ap_softmax", softmax},
    {"QUANTIZE", "ap_quantize", quantize},
    {"DEQUANTIZE", "ap_dequantize", dequantize},
    {"RESHAPE", "ap_copy", reshape},
    {"SQUEEZE", "ap_copy", reshape},
    {"EXPAND_DIMS", "ap_copy", reshape},
    {"PAD", "ap_pad", pad},
    {"PADV2", "ap_pad", pad},
    {"STRIDED_SLICE", "ap_slice", slice},
    {"SLICE", "ap_slice", slice},
    {"CONCATENATION", "ap_concatenation", concatenation},
    {"SPLIT", "ap_split", split},
    {"SPLIT_V", "ap_split", split},
    {"GATHER", "ap_gather", gather},
    {"MEAN", "ap_mean", mean},
    {"SUM", "ap_mean_sum_q", mean},
    {"SUB", "ap_sub", sub},
    {"LEAKY_RELU", "ap_leaky_relu", leaky_relu},
    {"TRANSPOSE_CONV", "ap_transpose_conv", transpose_conv},
    {"RESIZE_BILINEAR", "ap_resize_bilinear", resize_rule},
    {"RESIZE_NEAREST_NEIGHBOR", "ap_resize_nearest", resize_rule},
    {"SVDF", "ap_svdf", arenaplan_svdf},
    {"UNIDIRECTIONAL_SEQUENCE_LSTM", "ap_lstm", arenaplan_lstm},
    {"LOCAL_RESPONSE_NORMALIZATION", "ap_lrn_f32", local_response_normalization},
}};

}  // namespace

std::span<const Rule> arenaplan_rules() { return kArenaplanRules; }

}  // namespace arenaplan::kernels
