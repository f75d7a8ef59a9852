// Kernel profile `reference`: TensorFlow Lite Micro's portable (reference) kernels,
// tensorflow/lite/micro/kernels/*.cc. Scratch buffers are the ones each kernel's Prepare
// requests with RequestScratchBufferInArena, in request order (see shared/anchors/tflm.md §3).
// Stages: only kernels whose Eval reads an input strictly before writing scratch/output in
// separate phases get more than one stage; every other kernel is one stage (all operands live
// for the whole operator), which is always safe.
#include <array>

#include "kernels/reference_detection.h"
#include "kernels/rules.h"

namespace arenaplan::kernels {
namespace {

constexpr std::int64_t kInt32 = 4;
constexpr std::int64_t kTargetPointer = 4;  // sizeof(void*) on the 32-bit microcontroller target

// svdf_common.cc, PrepareSvdf / EvalIntegerSvdfReference (int8 input) and EvalFloatSvdfReference.
// Integer Eval: stage 0 shifts the state and writes input x weights_feature into it (the only
// read of the input); stage 1 multiplies state x weights_time into scratch 0 (int32, B*F);
// stage 2 adds the bias and reduces scratch 0 into scratch 1 (int32, B*U); stage 3 rescales
// scratch 1 into the output. Float Eval: the same without scratch 1, the output is reduced into
// directly in stage 2.
std::optional<OperatorMemory> svdf(const OperatorView& v) {
  const Tensor& input = v.input(0);
  const std::int64_t batch = v.dim(input, 0);
  const std::int64_t filters = v.dim(v.input(1), 0);
  const std::int64_t rank = v.attribute("rank", 1);
  if (rank <= 0 || filters % rank != 0) v.fail("SVDF rank must divide the number of filters");
  const std::int64_t units = filters / rank;
  OperatorMemory m;
  if (input.type == DataType::int8) {
    m.stages = 4;
    m.input_last_stage = {0, 0, 1, 2, 1};  // input, weights_feature, weights_time, bias, state
    m.scratch = {{checked_product(v, {batch, filters, kInt32}), "state x weights_time (int32)", 1, 2},
                 {checked_product(v, {batch, units, kInt32}), "per-unit sums (int32)", 2, 3}};
    m.output_first_stage = 3;
    return m;
  }
  if (input.type == DataType::float32) {
    m.stages = 3;
    m.input_last_stage = {0, 0, 1, 2, 1};
    m.scratch = {{checked_product(v, {batch, filters, kInt32}), "state x weights_time (float)", 1, 2}};
    m.output_first_stage = 2;
    return m;
  }
  return not_modelled("SVDF reference kernel takes int8 or float32 input");
}

// unidirectional_sequence_lstm.cc, UnidirectionalSequenceLstmPrepare: four gate buffers of
// batch * state_dimension cell-state elements (int16 cell state: 2 bytes, float: 4).
OperatorMemory lstm_buffers(const OperatorView& v, int count) {
  const Tensor& input = v.input(0);
  const bool time_major = v.attribute("time_major", 0) != 0;
  const std::int64_t batch = time_major ? v.dim(input, 1) : v.dim(input, 0);
  const std::int64_t state = v.dim(v.input(18), -1);  // output (hidden) state
  const std::int64_t cell = element_size(v.input(19).type);
  OperatorMemory m;
  for (int i = 0; i < count; ++i) m.scratch.push_back({checked_product(v, {batch, state, cell}), "gate buffer", 0, 0});
  return m;
}

std::optional<OperatorMemory> lstm(const OperatorView& v) { return lstm_buffers(v, 4); }

// conv.cc / depthwise_conv.cc / fully_connected.cc Prepare: an INT4 filter is unpacked into a
// scratch buffer of filter.FlatSize() bytes. Other filter types request nothing.
std::optional<OperatorMemory> int4_filter(const OperatorView& v) {
  const Tensor& filter = v.input(1);
  if (filter.type != DataType::int4) return std::nullopt;
  OperatorMemory m;
  m.scratch = {{filter.elements(), "unpacked int4 filter", 0, 0}};
  return m;
}

std::int64_t axis_count(const OperatorView& v) { return v.input(1).elements(); }

// reduce_common.cc, PrepareMeanOrSumHelper: int8/int16 inputs get int32 sums per output element,
// then (all types) the temp index (one int32 per input dimension) and the resolved axes.
std::optional<OperatorMemory> mean_or_sum(const OperatorView& v) {
  const Tensor& input = v.input(0);
  const auto rank = static_cast<std::int64_t>(input.shape.size());
  OperatorMemory m;
  if (input.type == DataType::int8 || input.type == DataType::int16)
    m.scratch.push_back({checked_product(v, {v.output(0).elements(), kInt32}), "temp sums (int32)", 0, 0});
  m.scratch.push_back({checked_product(v, {rank, kInt32}), "temp index", 0, 0});
  m.scratch.push_back({checked_product(v, {axis_count(v), kInt32}), "resolved axes", 0, 0});
  return m;
}

// reduce_common.cc, PrepareMaxHelper (also min/any/all): temp index and resolved axes.
std::optional<OperatorMemory> reduce_other(const OperatorView& v) {
  const auto rank = static_cast<std::int64_t>(v.input(0).shape.size());
  OperatorMemory m;
  m.scratch = {{checked_product(v, {rank, kInt32}), "temp index", 0, 0},
               {checked_product(v, {axis_count(v), kInt32}), "resolved axes", 0, 0}};
  return m;
}

// transpose_conv.cc, Prepare: int8 input accumulates in int32 (4 bytes per output element),
// int16 input in int64 (8 bytes); an int16 bias is widened to int64 (8 bytes per element).
std::optional<OperatorMemory> transpose_conv(const OperatorView& v) {
  const Tensor& input = v.input(2);
  OperatorMemory m;
  if (input.type == DataType::int8) {
    m.scratch = {{checked_product(v, {v.output(0).elements(), 4}), "accumulators (int32)", 0, 0}};
  } else if (input.type == DataType::int16) {
    m.scratch = {{checked_product(v, {v.output(0).elements(), 8}), "accumulators (int64)", 0, 0}};
    if (v.has_input(3) && v.input(3).type == DataType::int16)
      m.scratch.push_back({checked_product(v, {v.input(3).elements(), 8}), "bias (int64)", 0, 0});
  }
  return m;
}

// add_n.cc, Prepare (float and int8): an array of input pointers.
std::optional<OperatorMemory> add_n(const OperatorView& v) {
  const Tensor& input = v.input(0);
  OperatorMemory m;
  if (input.type == DataType::float32 || input.type == DataType::int8)
    m.scratch = {
        {checked_product(v, {static_cast<std::int64_t>(v.input_count()), kTargetPointer}), "input pointers", 0, 0}};
  return m;
}

// mirror_pad.cc, Prepare: two int32 index buffers, one entry per input dimension.
std::optional<OperatorMemory> mirror_pad(const OperatorView& v) {
  const auto rank = static_cast<std::int64_t>(v.input(0).shape.size());
  OperatorMemory m;
  m.scratch = {{checked_product(v, {rank, kInt32}), "output dims", 0, 0},
               {checked_product(v, {rank, kInt32}), "input dims", 0, 0}};
  return m;
}

// signal/micro/kernels/rfft.cc, Prepare (custom op SignalRfft): a work buffer of fft_length
// elements of the input type (custom option fft_length, a flexbuffer map entry).
std::optional<OperatorMemory> signal_rfft(const OperatorView& v) {
  const std::int64_t fft_length = v.attribute("fft_length", -1);
  if (fft_length <= 0) v.fail("SignalRfft needs a positive 'fft_length' custom option");
  OperatorMemory m;
  m.scratch = {{checked_product(v, {fft_length, element_size(v.input(0).type)}), "FFT work buffer", 0, 0}};
  return m;
}

constexpr std::array<Rule, 14> kReferenceRules{{
    {"SVDF", "svdf_common.cc PrepareSvdf / EvalIntegerSvdfReference", svdf},
    {"UNIDIRECTIONAL_SEQUENCE_LSTM", "unidirectional_sequence_lstm.cc UnidirectionalSequenceLstmPrepare", lstm},
    {"CONV_2D", "conv.cc ConvPrepare (int4 filter unpack)", int4_filter},
    {"DEPTHWISE_CONV_2D", "depthwise_conv.cc DepthwiseConvPrepare (int4 filter unpack)", int4_filter},
    {"FULLY_CONNECTED", "fully_connected.cc FullyConnectedPrepare (int4 filter unpack)", int4_filter},
    {"MEAN", "reduce_common.cc PrepareMeanOrSumHelper", mean_or_sum},
    {"SUM", "reduce_common.cc PrepareMeanOrSumHelper", mean_or_sum},
    {"REDUCE_MAX", "reduce_common.cc PrepareMaxHelper", reduce_other},
    {"REDUCE_MIN", "reduce_common.cc PrepareMaxHelper", reduce_other},
    {"REDUCE_ANY", "reduce_common.cc PrepareMaxHelper", reduce_other},
    {"REDUCE_ALL", "reduce_common.cc PrepareMaxHelper", reduce_other},
    {"TRANSPOSE_CONV", "transpose_conv.cc TransposeConvPrepare", transpose_conv},
    {"ADD_N", "add_n.cc Prepare", add_n},
    {"MIRROR_PAD", "mirror_pad.cc MirrorPadPrepare", mirror_pad},
}};

// Custom ops are matched by name like builtins.
constexpr std::array<Rule, 2> kCustomRules{{
    {"SignalRfft", "signal/micro/kernels/rfft.cc RfftPrepare", signal_rfft},
    {"TFLite_Detection_PostProcess", "detection_postprocess.cc Prepare", detection_postprocess},
}};

constexpr auto kAllReferenceRules = [] {
  std::array<Rule, kReferenceRules.size() + kCustomRules.size()> all{};
  std::size_t i = 0;
  for (const Rule& r : kReferenceRules) all[i++] = r;
  for (const Rule& r : kCustomRules) all[i++] = r;
  return all;
}();

// Builtin and custom operators that TFLite Micro implements without scratch buffers.
constexpr std::array<std::string_view, 96> kWithoutScratch{{
    "ABS",
    "ADD",
    "ARG_MAX",
    "ARG_MIN",
    "ASSIGN_VARIABLE",
    "AVERAGE_POOL_2D",
    "BATCH_TO_SPACE_ND",
    "BROADCAST_ARGS",
    "BROADCAST_TO",
    "CAST",
    "CEIL",
    "CONCATENATION",
    "CONV_2D",
    "COS",
    "CUMSUM",
    "DEPTH_TO_SPACE",
    "DEPTHWISE_CONV_2D",
    "DEQUANTIZE",
    "DIV",
    "ELU",
    "EMBEDDING_LOOKUP",
    "EQUAL",
    "EXP",
    "EXPAND_DIMS",
    "FILL",
    "FLOOR",
    "FLOOR_DIV",
    "FLOOR_MOD",
    "FULLY_CONNECTED",
    "GATHER",
    "GATHER_ND",
    "GREATER",
    "GREATER_EQUAL",
    "HARD_SWISH",
    "L2_NORMALIZATION",
    "L2_POOL_2D",
    "LEAKY_RELU",
    "LESS",
    "LESS_EQUAL",
    "LOG",
    "LOG_SOFTMAX",
    "LOGICAL_AND",
    "LOGICAL_NOT",
    "LOGICAL_OR",
    "LOGISTIC",
    "MAX_POOL_2D",
    "MAXIMUM",
    "MINIMUM",
    "MUL",
    "NEG",
    "NOT_EQUAL",
    "PACK",
    "PAD",
    "PADV2",
    "PRELU",
    "QUANTIZE",
    "READ_VARIABLE",
    "RELU",
    "RELU6",
    "RELU_N1_TO_1",
    "RESHAPE",
    "RESIZE_BILINEAR",
    "RESIZE_NEAREST_NEIGHBOR",
    "ROUND",
    "RSQRT",
    "SELECT_V2",
    "SHAPE",
    "SIN",
    "SLICE",
    "SOFTMAX",
    "SPACE_TO_BATCH_ND",
    "SPACE_TO_DEPTH",
    "SPLIT",
    "SPLIT_V",
    "SQRT",
    "SQUARE",
    "SQUARED_DIFFERENCE",
    "SQUEEZE",
    "STRIDED_SLICE",
    "SUB",
    "TANH",
    "TRANSPOSE",
    "UNPACK",
    "VAR_HANDLE",
    "ZEROS_LIKE",
    // TFLM signal library custom ops (signal/micro/kernels/) without scratch requests.
    "SignalWindow",
    "SignalFftAutoScale",
    "SignalEnergy",
    "SignalFilterBank",
    "SignalFilterBankSquareRoot",
    "SignalFilterBankSpectralSubtraction",
    "SignalPCAN",
    "SignalFilterBankLog",
    "SignalFramer",
    "SignalOverlapAdd",
    "SignalStacker",
}};

}  // namespace

std::span<const Rule> reference_rules() { return kAllReferenceRules; }

bool known_without_scratch(std::string_view opcode) {
  for (std::string_view name : kWithoutScratch)
    if (name == opcode) return true;
  return false;
}

// Shared with the cmsis-nn profile, whose LSTM kernel uses fewer gate buffers.
OperatorMemory lstm_gate_buffers(const OperatorView& v, int count) { return lstm_buffers(v, count); }

}  // namespace arenaplan::kernels
