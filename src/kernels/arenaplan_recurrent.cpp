// Kernel profile `arenaplan`, recurrent operators (runtime/kernels_svdf.c, kernels_lstm.c). Their
// state tensors are model variables (planned for the whole run, zeroed by the generated
// NAME_reset()); the kernels keep TFLite Micro's intermediate sums in locals, so they need no
// scratch and run in one stage.
#include <cmath>
#include <initializer_list>

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

// UNIDIRECTIONAL_SEQUENCE_LSTM (TFLite Micro's lstm_eval.h): the standard LSTM of 24 operands
// with the four gates' input (1-4) and recurrent (5-8) weights and biases (12-15), the hidden
// (18) and cell (19) state variables; no peephole (9-11), projection (16-17) or layer norm
// (20-23); tanh for the cell gate. int8 activations, weights (zero point 0) and hidden state with
// int32 biases and an int16 cell state of power-of-two scale, or float32 throughout.
std::optional<OperatorMemory> arenaplan_lstm(const OperatorView& v) {
  const Tensor& input = v.input(0);
  const Tensor& output = v.output(0);
  for (std::size_t i : {9, 10, 11, 16, 17, 20, 21, 22, 23})
    if (v.has_input(i)) return not_modelled("LSTM with peephole, projection or layer norm");
  for (std::size_t i = 1; i <= 19; ++i)
    if ((i <= 8 || (i >= 12 && i <= 15) || i >= 18) && !v.has_input(i))
      return not_modelled("LSTM without all four gates (CIFG)");
  if (v.attribute("fused_activation", 0) != 4) return not_modelled("LSTM whose cell gate activation is not tanh");
  if (input.shape.size() != 3 || output.shape.size() != 3) return not_modelled("LSTM needs 3-D input and output");
  const bool time_major = v.attribute("time_major", 0) != 0;
  const std::int64_t batches = v.dim(input, time_major ? 1 : 0), steps = v.dim(input, time_major ? 0 : 1);
  const std::int64_t inputs = v.dim(input, 2), state = v.dim(output, 2);
  if (batches <= 0 || steps <= 0 || inputs <= 0 || state <= 0 || v.dim(output, 0) != v.dim(input, 0) ||
      v.dim(output, 1) != v.dim(input, 1))
    return not_modelled("LSTM input and output shapes do not match");
  const Tensor& hidden = v.input(18);
  const Tensor& cell = v.input(19);
  if (!hidden.is_variable || !cell.is_variable || hidden.elements() != batches * state ||
      cell.elements() != batches * state)
    return not_modelled("LSTM states are not variables of batches x state elements");
  for (std::size_t i = 1; i <= 8; ++i) {
    const Tensor& w = v.input(i);
    if (w.shape.size() != 2 || v.dim(w, 0) != state || v.dim(w, 1) != (i <= 4 ? inputs : state))
      return not_modelled("LSTM weight shapes do not match");
  }
  for (std::size_t i = 12; i <= 15; ++i)
    if (v.input(i).elements() != state) return not_modelled("LSTM bias shapes do not match");
  const auto all = [&](std::initializer_list<std::size_t> operands, DataType type) {
    for (std::size_t i : operands)
      if (v.input(i).type != type) return false;
    return true;
  };
  if (input.type == DataType::int8) {
    bool ok = output.type == DataType::int8 && hidden.type == DataType::int8 && cell.type == DataType::int16 &&
              all({1, 2, 3, 4, 5, 6, 7, 8}, DataType::int8) && all({12, 13, 14, 15}, DataType::int32) &&
              per_tensor(input, -128, 127) && per_tensor(hidden, -128, 127) && per_tensor(cell, 0, 0);
    for (std::size_t i = 1; ok && i <= 8; ++i) ok = per_tensor(v.input(i), 0, 0);
    if (!ok)
      return not_modelled(
          "int8 LSTM needs int8 activations and weights (zero point 0), int32 biases, an int16 "
          "cell state, per-tensor quantization");
    int exponent = 0;
    if (std::frexp(cell.quantization.scale[0], &exponent) != 0.5f || exponent - 1 < -27 || exponent - 1 > 2)
      return not_modelled("int8 LSTM needs a cell state scale of 2^-27 .. 2^2");
    return no_scratch(kernel_function(KernelId::lstm_s8));
  }
  if (input.type == DataType::float32 && output.type == DataType::float32 &&
      all({1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14, 15, 18, 19}, DataType::float32))
    return no_scratch(kernel_function(KernelId::lstm_f32));
  return not_modelled("LSTM takes int8 (int16 cell state) or float32");
}

}  // namespace arenaplan::kernels
