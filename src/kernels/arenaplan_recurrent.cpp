// Kernel profile `arenaplan`, recurrent operators (runtime/kernels_svdf.c, kernels_lstm.c). Their
// state tensors are model variables (planned for the whole run, zeroed by the generated
// NAME_reset()); the kernels keep TFLite Micro's intermediate sums in locals, so they need no
// scratch and run in one stage.
#include <cmath>

#include "kernels/kernel_ids.h"
#include "kernels/rules.h"

namespace arenaplan::kernels {
namespace {

// One scale, finite and positive, and one zero point within the type's range.
bool per_tensor(const Tensor& t, std::int64_t zero_min, std::int64_t zero_max) {
  const Quantization& q = t.quantization;
  return q.scale.size() == 1 && q.zero_point.size() == 1 && q.scale[0] > 0.0f && std::isfinite(q.scale[0]) &&
         q.zero_point[0] >= zero_min && q.zero_point[0] <= zero_max;
}

bool rank2(const OperatorView& v, const Tensor& t) { return t.shape.size() == 2 && v.dim(t, 0) > 0 && v.dim(t, 1) > 0; }

}  // namespace

// SVDF (svdf_common.cc): input [B, I], weights_feature [F, I], weights_time [F, M], bias [F/rank]
// (optional), state [B, F*M] (variable), output [B, F/rank]. int8 with an int16 or int8 state
// and time weights, or float32 throughout.
std::optional<OperatorMemory> arenaplan_svdf(const OperatorView& v) {
  const Tensor& input = v.input(0);
  const Tensor& feature = v.input(1);
  const Tensor& time = v.input(2);
  const Tensor& state = v.input(4);
  const Tensor& output = v.output(0);
  if (!rank2(v, input) || !rank2(v, feature) || !rank2(v, time) || !rank2(v, state) || !rank2(v, output))
    return not_modelled("SVDF needs non-empty 2-D operands");
  const std::int64_t batches = v.dim(input, 0), filters = v.dim(feature, 0), memory = v.dim(time, 1);
  const std::int64_t rank = v.attribute("rank", 1);
  if (rank <= 0 || filters % rank != 0) return not_modelled("SVDF rank must divide the number of filters");
  if (v.dim(feature, 1) != v.dim(input, 1) || v.dim(time, 0) != filters || v.dim(state, 0) != batches ||
      v.dim(state, 1) != checked_product(v, {filters, memory}) || v.dim(output, 0) != batches ||
      v.dim(output, 1) != filters / rank)
    return not_modelled("SVDF operand shapes do not match");
  if (!state.is_variable) return not_modelled("SVDF state is not a variable tensor");
  const bool has_bias = v.has_input(3);
  if (has_bias && v.input(3).elements() != filters / rank) return not_modelled("SVDF bias size is not the unit count");
  if (input.type == DataType::int8) {
    const bool state_ok = (state.type == DataType::int16 && per_tensor(state, 0, 0)) ||
                          (state.type == DataType::int8 && per_tensor(state, -128, 127));
    if (feature.type != DataType::int8 || time.type != state.type || output.type != DataType::int8 || !state_ok ||
        !per_tensor(input, -128, 127) || !per_tensor(output, -128, 127) || !per_tensor(feature, 0, 0) ||
        !per_tensor(time, 0, 0) || (has_bias && v.input(3).type != DataType::int32))
      return not_modelled(
          "int8 SVDF needs int8 weights_feature, an int16 (or int8) state and weights_time, an int32 "
          "bias, per-tensor quantization");
    return no_scratch(kernel_function(KernelId::svdf_s8));
  }
  const std::int64_t activation = v.attribute("fused_activation", 0);
  if (input.type == DataType::float32 && feature.type == DataType::float32 && time.type == DataType::float32 &&
      state.type == DataType::float32 && output.type == DataType::float32 &&
      (!has_bias || v.input(3).type == DataType::float32)) {
    if (activation < 0 || activation > 3) return not_modelled("float32 SVDF with a TANH or SIGMOID activation");
    return no_scratch(kernel_function(KernelId::svdf_f32));
  }
  return not_modelled("SVDF takes int8 (int16 or int8 state) or float32");
}

}  // namespace arenaplan::kernels
