// The `arenaplan` profile's generic operators (runtime/kernels_transpose.c, kernels_activation.c,
// kernels_binary.c): TRANSPOSE, the activations and the broadcasting MUL, MAXIMUM and MINIMUM, in
// the types TFLite 2.9's kernels take; ARG_MAX / ARG_MIN, CAST, PACK / UNPACK;
// float DIV, SQUARED_DIFFERENCE, FLOOR_MOD (also integer), RSQRT, LOG_SOFTMAX;
// SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND. None needs a scratch buffer; the
// element-wise ones may write over their dying input (src/kernels/arenaplan_overlaps.cpp).
#include <array>

#include "kernels/arenaplan_checks.h"
#include "kernels/generic_geometry.h"
#include "kernels/int16_activation.h"
#include "kernels/kernel_ids.h"
#include "kernels/rules.h"

namespace arenaplan::kernels {
namespace {

OperatorMemory runs(KernelId id) { return no_scratch(kernel_function(id)); }

bool same_count(const OperatorView& v) { return v.input(0).elements() == v.output(0).elements(); }

// int8 or uint8, per tensor, input and output of the same type.
bool quantized_8bit(const OperatorView& v) {
  const Tensor& in = v.input(0);
  const Tensor& out = v.output(0);
  return (in.type == DataType::int8 || in.type == DataType::uint8) && out.type == in.type && integer_quantized(in) &&
         integer_quantized(out);
}

std::optional<OperatorMemory> transpose(const OperatorView& v) {
  const Tensor& in = v.input(0);
  const bool sized = movable(in) || in.type == DataType::int64 || in.type == DataType::boolean;
  if (!sized || v.output(0).type != in.type) return not_modelled("TRANSPOSE keeps a 1, 2, 4 or 8-byte type");
  if (!transpose_geometry(v))
    return not_modelled("TRANSPOSE of up to 5 dimensions of more than one element, with a constant permutation");
  return runs(KernelId::transpose);
}

// RELU, RELU6, RELU_N1_TO_1: float32, or int8 / uint8 with rescaling (TFLite's QuantizedReluX).
std::optional<OperatorMemory> relu(const OperatorView& v) {
  if (!same_count(v)) return not_modelled("an activation changes the element count");
  if (all_of_type(v, DataType::float32, 1)) return runs(KernelId::relu_f32);
  if (quantized_8bit(v)) return runs(KernelId::relu_q);
  return not_modelled("RELU takes float32, int8 or uint8");
}

// LOGISTIC and TANH: float32; int8 / uint8 as TFLite's 256-entry table. TFLite requires LOGISTIC's
// 8-bit output to have scale 1/256 (zero point -128 for int8, 0 for uint8); TANH's table takes any.
std::optional<OperatorMemory> logistic_or_tanh(const OperatorView& v) {
  if (!same_count(v)) return not_modelled("an activation changes the element count");
  const bool logistic = v.op().opcode == "LOGISTIC";
  if (all_of_type(v, DataType::float32, 1)) return runs(logistic ? KernelId::logistic_f32 : KernelId::tanh_f32);
  if (quantized_8bit(v)) {
    const Quantization& out = v.output(0).quantization;
    if (logistic && out.scale[0] != 1.0f / 256.0f)
      return not_modelled("8-bit LOGISTIC needs output scale 1/256 (TFLite's rule)");
    return runs(KernelId::lookup_8bit);
  }
  // int16 (TFLite Micro's Prepare): zero points 0, output scale 2^-15, input rescaled in 16 bits.
  if (all_of_type(v, DataType::int16, 1) && integer_quantized(v.input(0)) && integer_quantized(v.output(0))) {
    const Quantization& in = v.input(0).quantization;
    const Quantization& out = v.output(0).quantization;
    if (in.zero_point[0] != 0 || out.zero_point[0] != 0)
      return not_modelled("int16 LOGISTIC and TANH need zero points 0 (TFLite's rule)");
    if (checked_log2(out.scale[0]) != -15) return not_modelled("int16 LOGISTIC and TANH need output scale 2^-15");
    if (!int16_activation_scaling(in.scale[0], !logistic))
      return not_modelled("int16 LOGISTIC and TANH take an input scale up to 32767 / 12288");
    return runs(logistic ? KernelId::logistic_s16 : KernelId::tanh_s16);
  }
  return not_modelled("LOGISTIC and TANH take float32, int8, uint8 or int16");
}

std::optional<OperatorMemory> hard_swish(const OperatorView& v) {
  if (!same_count(v)) return not_modelled("an activation changes the element count");
  if (all_of_type(v, DataType::float32, 1)) return runs(KernelId::hard_swish_f32);
  if (quantized_8bit(v)) return runs(KernelId::lookup_8bit);  // TFLite's integer result, tabled
  return not_modelled("HARD_SWISH takes float32, int8 or uint8");
}

std::optional<OperatorMemory> mul(const OperatorView& v) {
  if (!broadcast_geometry(v)) return not_modelled("MUL of up to 5 dimensions");
  if (all_of_type(v, DataType::float32, 2)) return runs(KernelId::mul_f32);
  const DataType t = v.output(0).type;
  if (all_of_type(v, DataType::int32, 2)) return runs(KernelId::binary_s32);
  if ((t == DataType::int8 || t == DataType::uint8 || t == DataType::int16) && all_of_type(v, t, 2) &&
      integer_quantized(v.input(0)) && integer_quantized(v.input(1)) && integer_quantized(v.output(0)))
    return runs(KernelId::mul_q);
  return not_modelled("MUL takes float32, int32, or int8, uint8 or int16 quantized per tensor");
}

std::optional<OperatorMemory> maximum_minimum(const OperatorView& v) {
  const DataType t = v.output(0).type;
  const bool typed = t == DataType::int8 || t == DataType::uint8 || t == DataType::int16 || t == DataType::int32 ||
                     t == DataType::float32 || t == DataType::int64;
  if (!typed || !all_of_type(v, t, 2)) return not_modelled("MAXIMUM / MINIMUM of one 8 to 64-bit type");
  if (!broadcast_geometry(v)) return not_modelled("MAXIMUM / MINIMUM of up to 5 dimensions");
  return runs(v.op().opcode == "MAXIMUM" ? KernelId::maximum : KernelId::minimum);
}

std::optional<OperatorMemory> arg_min_max(const OperatorView& v) {
  const DataType out = v.output(0).type;
  if ((out != DataType::int32 && out != DataType::int64) || !runtime_typed(v.input(0).type) ||
      v.input(0).type == DataType::boolean)
    return not_modelled("ARG_MAX / ARG_MIN of a number type to int32 or int64");
  if (!arg_geometry(v)) return not_modelled("ARG_MAX / ARG_MIN over one constant axis, up to 5 dimensions");
  return runs(KernelId::arg_min_max);
}

std::optional<OperatorMemory> cast(const OperatorView& v) {
  if (!same_count(v)) return not_modelled("CAST changes the element count");
  if (!runtime_typed(v.input(0).type) || !runtime_typed(v.output(0).type))
    return not_modelled("CAST between int8, uint8, int16, int32, uint32, int64, float32 and bool");
  return runs(KernelId::cast);
}

// PACK and UNPACK: CONCATENATION and SPLIT of parts one step long (stack_geometry), unquantized or
// quantized as the whole.
std::optional<OperatorMemory> stack(const OperatorView& v) {
  const bool pack = v.op().opcode == "PACK";
  const Tensor& whole = pack ? v.output(0) : v.input(0);
  const std::size_t parts = pack ? v.input_count() : v.output_count();
  if (!movable(whole) && whole.type != DataType::int64) return not_modelled("PACK / UNPACK of a 1 to 8-byte type");
  for (std::size_t i = 0; i < parts; ++i) {
    const Tensor& part = pack ? v.input(i) : v.output(i);
    if (part.type != whole.type || part.quantization.scale != whole.quantization.scale ||
        part.quantization.zero_point != whole.quantization.zero_point)
      return not_modelled("PACK / UNPACK keeps the type and quantization");
  }
  if (!stack_geometry(v)) return not_modelled("PACK / UNPACK of up to 5 dimensions");
  return runs(pack ? KernelId::concatenation : KernelId::split);
}

// DIV, SQUARED_DIFFERENCE, FLOOR_MOD in float32 with broadcasting; FLOOR_MOD also in int32 / int64.
std::optional<OperatorMemory> float_binary(const OperatorView& v) {
  if (!broadcast_geometry(v)) return not_modelled("a binary operator of up to 5 dimensions");
  if (all_of_type(v, DataType::float32, 2)) return runs(KernelId::binary_f32);
  if (v.op().opcode == "FLOOR_MOD" && (all_of_type(v, DataType::int32, 2) || all_of_type(v, DataType::int64, 2)))
    return runs(KernelId::floor_mod);
  if (v.op().opcode == "DIV" && all_of_type(v, DataType::int32, 2)) return runs(KernelId::binary_s32);
  return not_modelled("DIV takes float32 or int32, SQUARED_DIFFERENCE float32, FLOOR_MOD float32, int32 or int64");
}

// RSQRT float32; LOG_SOFTMAX float32, or int8 with the fixed output quantization TFLite requires
// (scale 16/256, zero point 127: [-16, 0) in steps of 1/16).
std::optional<OperatorMemory> float_unary(const OperatorView& v) {
  const bool log_softmax = v.op().opcode == "LOG_SOFTMAX";
  if (log_softmax && same_count(v) && all_of_type(v, DataType::int8, 1)) {
    const Quantization& in = v.input(0).quantization;
    const Quantization& out = v.output(0).quantization;
    if (in.scale.size() != 1 || out.scale.size() != 1 || out.scale[0] != 16.0f / 256.0f || out.zero_point.size() != 1 ||
        out.zero_point[0] != 127)
      return not_modelled("int8 LOG_SOFTMAX with a per-tensor input scale and the output scale 1/16, zero point 127");
    // TFLite's multipliers need 2^-26 < input scale < 16 (a left shift of 1 to 30 and a reverse
    // scaling below 1; at 2^-26 its Prepare aborts).
    if (!(in.scale[0] > 0x1p-26f && in.scale[0] < 16.0f))
      return not_modelled("int8 LOG_SOFTMAX with an input scale in (2^-26, 16)");
    if (v.input(0).shape.empty()) return not_modelled("LOG_SOFTMAX of a scalar");
    return runs(KernelId::log_softmax_s8);
  }
  if (!same_count(v) || !all_of_type(v, DataType::float32, 1))
    return not_modelled(log_softmax ? "LOG_SOFTMAX takes float32 or int8" : "RSQRT takes float32");
  if (log_softmax && v.input(0).shape.empty()) return not_modelled("LOG_SOFTMAX of a scalar");
  return runs(log_softmax ? KernelId::log_softmax_f32 : KernelId::rsqrt_f32);
}

std::optional<OperatorMemory> space_batch(const OperatorView& v) {
  const Tensor& in = v.input(0);
  if (!(movable(in) || in.type == DataType::int64) || v.output(0).type != in.type)
    return not_modelled("SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND keep a 1 to 8-byte type");
  if (!space_batch_geometry(v)) return not_modelled("a 3-D or 4-D input with constant block shape and paddings");
  return runs(v.op().opcode == "SPACE_TO_BATCH_ND" ? KernelId::space_to_batch : KernelId::batch_to_space);
}

constexpr std::array<Rule, 22> kGenericRules{{
    {"TRANSPOSE", "ap_transpose", transpose},
    {"RELU", "ap_relu", relu},
    {"RELU6", "ap_relu", relu},
    {"RELU_N1_TO_1", "ap_relu", relu},
    {"LOGISTIC", "ap_logistic", logistic_or_tanh},
    {"TANH", "ap_tanh", logistic_or_tanh},
    {"HARD_SWISH", "ap_hard_swish", hard_swish},
    {"MUL", "ap_mul", mul},
    {"MAXIMUM", "ap_maximum", maximum_minimum},
    {"MINIMUM", "ap_minimum", maximum_minimum},
    {"ARG_MAX", "ap_arg_min_max", arg_min_max},
    {"ARG_MIN", "ap_arg_min_max", arg_min_max},
    {"CAST", "ap_cast", cast},
    {"PACK", "ap_concatenation", stack},
    {"UNPACK", "ap_split", stack},
    {"DIV", "ap_binary_f32", float_binary},
    {"SQUARED_DIFFERENCE", "ap_binary_f32", float_binary},
    {"FLOOR_MOD", "ap_floor_mod", float_binary},
    {"RSQRT", "ap_rsqrt_f32", float_unary},
    {"LOG_SOFTMAX", "ap_log_softmax_f32", float_unary},
    {"SPACE_TO_BATCH_ND", "ap_space_to_batch", space_batch},
    {"BATCH_TO_SPACE_ND", "ap_batch_to_space", space_batch},
}};

}  // namespace

std::span<const Rule> arenaplan_generic_rules() { return kGenericRules; }

}  // namespace arenaplan::kernels
