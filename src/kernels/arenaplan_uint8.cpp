// uint8 rules of the `arenaplan` profile: one stage, no scratch (the kernels read their operands
// in place), as long as every operand is uint8 per tensor (int32 bias) and the shapes are what
// the kernel loops over.
#include "kernels/arenaplan_uint8.h"

#include <cmath>

#include "kernels/kernel_ids.h"
#include "kernels/rules.h"
#include "kernels/shape_geometry.h"

namespace arenaplan::kernels {
namespace {

OperatorMemory runs(KernelId id) { return no_scratch(kernel_function(id)); }

bool non_empty(const Tensor& t) {
  for (std::int64_t d : t.shape)
    if (d <= 0) return false;
  return true;
}

// CONV_2D / DEPTHWISE_CONV_2D (4-D weights) and FULLY_CONNECTED (2-D): uint8 input, weights and
// output, an int32 bias with one value per output channel or none.
std::optional<OperatorMemory> weighted(const OperatorView& v, KernelId id, std::size_t rank, bool channels_last) {
  const Tensor& input = v.input(0);
  const Tensor& weights = v.input(1);
  const Tensor& output = v.output(0);
  if (weights.type != DataType::uint8 || output.type != DataType::uint8)
    return not_modelled("uint8 input needs uint8 weights and output");
  if (!quantized_u8(input) || !quantized_u8(weights) || !quantized_u8(output))
    return not_modelled("uint8 operands need one scale and zero point per tensor");
  if (weights.shape.size() != rank || input.shape.empty() || !non_empty(input) || !non_empty(weights) ||
      !non_empty(output))
    return not_modelled("unsupported or empty uint8 operands");
  const std::int64_t channels = weights.shape[channels_last ? rank - 1 : 0];
  if (v.has_input(2) && (v.input(2).type != DataType::int32 || v.input(2).elements() != channels))
    return not_modelled("uint8 kernel needs an int32 bias per output channel");
  if (id == KernelId::fully_connected_u8 && v.attribute("weights_format", 0) != 0)
    return not_modelled("shuffled FULLY_CONNECTED weights");
  return runs(id);
}

std::optional<OperatorMemory> add(const OperatorView& v) {
  const bool same = v.input(0).shape == v.input(1).shape && v.input(0).shape == v.output(0).shape;
  if (!same && !broadcast_geometry(v)) return not_modelled("uint8 ADD broadcasting over more than 5 dimensions");
  if (v.input(1).type != DataType::uint8 || v.output(0).type != DataType::uint8)
    return not_modelled("uint8 ADD needs uint8 operands throughout");
  if (!quantized_u8(v.input(0)) || !quantized_u8(v.input(1)) || !quantized_u8(v.output(0)))
    return not_modelled("uint8 ADD without per-tensor quantization");
  return runs(same ? KernelId::add_u8 : KernelId::add_u8_broadcast);
}

std::optional<OperatorMemory> pool(const OperatorView& v, KernelId id) {
  if (v.input(0).shape.size() != 4 || v.output(0).shape.size() != 4) return not_modelled("pooling needs 4-D operands");
  if (v.output(0).type != DataType::uint8 || !quantized_u8(v.output(0)))
    return not_modelled("uint8 pooling needs a quantized uint8 output");
  return runs(id);
}

// TFLite's uint8 SOFTMAX: output scale 1/256, zero point 0.
std::optional<OperatorMemory> softmax(const OperatorView& v) {
  const Tensor& out = v.output(0);
  if (v.input(0).elements() != out.elements()) return not_modelled("SOFTMAX changes the element count");
  if (out.type != DataType::uint8 || !quantized_u8(v.input(0)) || !quantized_u8(out) ||
      out.quantization.zero_point[0] != 0 || out.quantization.scale[0] != 1.0f / 256.0f)
    return not_modelled("uint8 SOFTMAX needs output scale 1/256 and zero point 0");
  return runs(KernelId::softmax_u8);
}

// CONCATENATION with a part quantized unlike the output (TFLite rescales uint8 parts); parts
// quantized alike are the generic copy's.
std::optional<OperatorMemory> concatenation(const OperatorView& v) {
  const Tensor& out = v.output(0);
  bool rescales = false;
  for (std::size_t i = 0; i < v.input_count(); ++i) {
    const Tensor& in = v.input(i);
    if (in.type != DataType::uint8 || !quantized_u8(in)) return not_modelled("uint8 CONCATENATION of uint8 parts");
    rescales = rescales || in.quantization.scale != out.quantization.scale ||
               in.quantization.zero_point != out.quantization.zero_point;
  }
  if (!rescales) return std::nullopt;
  if (out.type != DataType::uint8 || !quantized_u8(out) || v.attribute("fused_activation", 0) != 0)
    return not_modelled("rescaling CONCATENATION to a quantized uint8 output without a fused activation");
  return runs(KernelId::concatenation_u8);
}

}  // namespace

bool quantized_u8(const Tensor& t) {
  const Quantization& q = t.quantization;
  return t.type == DataType::uint8 && q.scale.size() == 1 && q.zero_point.size() == 1 && q.scale[0] > 0.0f &&
         std::isfinite(q.scale[0]) && q.zero_point[0] >= 0 && q.zero_point[0] <= 255;
}

std::optional<OperatorMemory> uint8_kernel(const OperatorView& v) {
  if (v.input_count() == 0 || v.output_count() == 0 || !v.has_input(0) || v.input(0).type != DataType::uint8)
    return std::nullopt;
  const std::string& opcode = v.op().opcode;
  if (opcode == "CONV_2D") return weighted(v, KernelId::conv2d_u8, 4, false);
  if (opcode == "DEPTHWISE_CONV_2D") return weighted(v, KernelId::depthwise_conv2d_u8, 4, true);
  if (opcode == "FULLY_CONNECTED") return weighted(v, KernelId::fully_connected_u8, 2, false);
  if (opcode == "ADD") return add(v);
  if (opcode == "AVERAGE_POOL_2D") return pool(v, KernelId::average_pool_u8);
  if (opcode == "MAX_POOL_2D") return pool(v, KernelId::max_pool_u8);
  if (opcode == "SOFTMAX") return softmax(v);
  if (opcode == "CONCATENATION") return concatenation(v);
  return std::nullopt;
}

}  // namespace arenaplan::kernels
