// Kernel profiles: each scratch-size rule pinned on a real operator of a bundled model (values
// from shared/anchors/tflm.md and the CMSIS-NN *_get_buffer_size* functions).
#include <gtest/gtest.h>

#include "arenaplan/error.h"
#include "arenaplan/kernels.h"
#include "arenaplan/lowering.h"
#include "model_test_util.h"
#include "tflite_builder.h"

namespace arenaplan {
namespace {

using test::model;

std::vector<Bytes> scratch_sizes(const Graph& g, std::size_t op, const std::string& profile) {
  std::vector<Bytes> sizes;
  for (const ScratchRequest& s : kernel_profile(profile).describe(g, op).scratch) sizes.push_back(s.size);
  return sizes;
}

std::vector<std::size_t> ops_named(const Graph& g, const std::string& opcode) {
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < g.operators.size(); ++i)
    if (g.operators[i].opcode == opcode) found.push_back(i);
  return found;
}

TEST(KernelProfiles, ReferenceSvdfInt8HasTwoInt32BuffersInLaterStages) {
  const Graph g = model("tflm_keyword_scrambled");
  const auto svdf = ops_named(g, "SVDF");
  ASSERT_EQ(svdf.size(), 7u);
  // 64 filters, rank 1 (num_units 64): 64*4 twice; the three 32-filter SVDFs: 128 twice.
  EXPECT_EQ(scratch_sizes(g, svdf[0], "reference"), (std::vector<Bytes>{256, 256}));
  EXPECT_EQ(scratch_sizes(g, svdf[6], "reference"), (std::vector<Bytes>{128, 128}));
  const OperatorMemory m = kernel_profile("reference").describe(g, svdf[0]);
  EXPECT_EQ(m.stages, 4);
  EXPECT_EQ(m.last_stage_reading(0), 0);  // the input is read only by the feature matmul
  EXPECT_EQ(m.scratch[0].first_stage, 1);
  EXPECT_EQ(m.scratch[1].last_stage, 3);
  EXPECT_EQ(m.output_first_stage, 3);
  // 14 SVDF buffers, 2816 bytes in all (anchors/tflm.md §1a).
  Bytes total = 0;
  for (std::size_t op : svdf)
    for (Bytes b : scratch_sizes(g, op, "reference")) total += b;
  EXPECT_EQ(total, 2816);
}

TEST(KernelProfiles, LstmGateBuffersReferenceFourCmsisNnThree) {
  const Graph g = model("tflm_mnist_lstm_int8");
  const auto lstm = ops_named(g, "UNIDIRECTIONAL_SEQUENCE_LSTM");
  ASSERT_EQ(lstm.size(), 1u);
  // batch 1 x 20 units x int16 cell state.
  EXPECT_EQ(scratch_sizes(g, lstm[0], "reference"), (std::vector<Bytes>{40, 40, 40, 40}));
  EXPECT_EQ(scratch_sizes(g, lstm[0], "cmsis-nn"), (std::vector<Bytes>{40, 40, 40}));
}

TEST(KernelProfiles, SignalRfftUsesFftLengthFromCustomOptions) {
  const Graph g = model("tflm_audio_preprocessor_int8");
  const auto rfft = ops_named(g, "SignalRfft");
  ASSERT_EQ(rfft.size(), 1u);
  EXPECT_EQ(scratch_sizes(g, rfft[0], "reference"), (std::vector<Bytes>{1024}));
  EXPECT_EQ(scratch_sizes(g, rfft[0], "cmsis-nn"), (std::vector<Bytes>{1024}));
}

TEST(KernelProfiles, ReferenceInt8ConvDepthwiseFullyConnectedPoolNeedNoScratch) {
  const Graph g = model("mlperf_tiny_vww_mobilenetv1_int8");
  for (std::size_t i = 0; i < g.operators.size(); ++i) {
    const OperatorMemory m = kernel_profile("reference").describe(g, i);
    EXPECT_TRUE(m.known) << g.describe_operator(i);
    EXPECT_TRUE(m.scratch.empty()) << g.describe_operator(i);
  }
}

TEST(KernelProfiles, CmsisNnConvIm2colBuffers) {
  // arm_convolve_s8_get_buffer_size: 2 * align4(KW*KH*C_in) * 2.
  const Graph conv = model("tflm_test_conv_model");
  const auto convs = ops_named(conv, "CONV_2D");
  ASSERT_EQ(convs.size(), 2u);
  EXPECT_EQ(scratch_sizes(conv, convs[0], "cmsis-nn"), (std::vector<Bytes>{48}));   // 3x3x1 -> 12
  EXPECT_EQ(scratch_sizes(conv, convs[1], "cmsis-nn"), (std::vector<Bytes>{576}));  // 3x3x16 -> 144
  const Graph vww = model("mlperf_tiny_vww_mobilenetv1_int8");
  const auto vww_convs = ops_named(vww, "CONV_2D");
  EXPECT_EQ(scratch_sizes(vww, vww_convs[0], "cmsis-nn"), (std::vector<Bytes>{112}));  // 3x3x3 -> 28
  for (std::size_t k = 1; k < vww_convs.size(); ++k)  // 1x1, no padding: arm_convolve_1x1_s8_fast, 0 with GCC
    EXPECT_TRUE(scratch_sizes(vww, vww_convs[k], "cmsis-nn").empty()) << vww.describe_operator(vww_convs[k]);
  const Graph kws = model("mlperf_tiny_kws_dscnn_int8");
  EXPECT_EQ(scratch_sizes(kws, ops_named(kws, "CONV_2D")[0], "cmsis-nn"), (std::vector<Bytes>{160}));  // 10x4x1 -> 40
}

TEST(KernelProfiles, CmsisNnAveragePoolOneInt32PerChannel) {
  const Graph vww = model("mlperf_tiny_vww_mobilenetv1_int8");
  EXPECT_EQ(scratch_sizes(vww, ops_named(vww, "AVERAGE_POOL_2D")[0], "cmsis-nn"), (std::vector<Bytes>{1024}));
  const Graph kws = model("mlperf_tiny_kws_dscnn_int8");
  EXPECT_EQ(scratch_sizes(kws, ops_named(kws, "AVERAGE_POOL_2D")[0], "cmsis-nn"), (std::vector<Bytes>{256}));
}

TEST(KernelProfiles, CmsisNnDepthwise) {
  // 3x3 with padding <= 1 (arm_depthwise_conv_3x3_s8): no buffer.
  const Graph vww = model("mlperf_tiny_vww_mobilenetv1_int8");
  for (std::size_t op : ops_named(vww, "DEPTHWISE_CONV_2D"))
    EXPECT_TRUE(scratch_sizes(vww, op, "cmsis-nn").empty()) << vww.describe_operator(op);
  // Depth multiplier 8 (C_in 1 != C_out 8, micro_speech): arm_depthwise_conv_s8, no buffer.
  const Graph speech = model("tflm_micro_speech_int8");
  EXPECT_TRUE(scratch_sizes(speech, ops_named(speech, "DEPTHWISE_CONV_2D")[0], "cmsis-nn").empty());
  // 5x5, C_in == C_out (arm_depthwise_conv_s8_opt): C_in*KW*KH int16.
  test::ModelSpec spec;
  spec.tensors = {test::tensor("in", 9, {1, 8, 8, 8}), test::tensor("w", 9, {1, 5, 5, 8}), test::tensor("b", 2, {8}),
                  test::tensor("out", 9, {1, 8, 8, 8})};
  spec.tensors[1].constant = spec.tensors[2].constant = true;
  spec.inputs = {0};
  spec.outputs = {3};
  spec.ops = {test::op(4 /* DEPTHWISE_CONV_2D */, {0, 1, 2}, {3})};
  const Graph g = parse_tflite(test::build_tflite(spec), "dw.tflite");
  EXPECT_EQ(scratch_sizes(g, 0, "cmsis-nn"), (std::vector<Bytes>{8 * 5 * 5 * 2}));
  EXPECT_TRUE(scratch_sizes(g, 0, "reference").empty());
}

TEST(KernelProfiles, CmsisNnResnet8TotalsMatchTheAnchorSimulation) {
  // shared/models/README.md: CMSIS-NN DSP+GCC adds 8 scratch buffers, 6704 bytes, to resnet8 int8.
  const Graph g = model("mlperf_tiny_ic_resnet8_int8");
  std::size_t count = 0;
  Bytes total = 0;
  for (std::size_t i = 0; i < g.operators.size(); ++i)
    for (Bytes b : scratch_sizes(g, i, "cmsis-nn")) {
      ++count;
      total += b;
    }
  EXPECT_EQ(count, 8u);
  EXPECT_EQ(total, 6704);
}

TEST(KernelProfiles, UnknownOperatorsArePlannedWithoutScratchAndWarned) {
  test::ModelSpec spec;
  spec.tensors = {test::tensor("in", 9, {1, 16}), test::tensor("out", 9, {1, 16})};
  spec.inputs = {0};
  spec.outputs = {1};
  spec.ops = {test::op(32 /* CUSTOM */, {0}, {1})};
  spec.ops[0].custom = "MyVendorOp";
  const Graph g = parse_tflite(test::build_tflite(spec), "custom.tflite");
  const OperatorMemory m = kernel_profile("reference").describe(g, 0);
  EXPECT_FALSE(m.known);
  EXPECT_TRUE(m.scratch.empty());
  const LoweredModel lowered = lower_graph(g, LoweringOptions{});
  ASSERT_EQ(lowered.warnings.size(), 1u);
  EXPECT_NE(lowered.warnings[0].find("operator 0 (MyVendorOp)"), std::string::npos) << lowered.warnings[0];
  EXPECT_NE(lowered.warnings[0].find("planned with no scratch"), std::string::npos);
}

TEST(KernelProfiles, UnknownProfileIsAnInputError) {
  EXPECT_THROW(kernel_profile("nope"), InputError);
  EXPECT_EQ(kernel_profile_names(), (std::vector<std::string>{"arenaplan", "cmsis-nn", "reference"}));
}

}  // namespace
}  // namespace arenaplan

namespace arenaplan {
namespace {

// The project's SVDF and LSTM kernels keep TFLite Micro's intermediate sums in locals: one stage,
// no scratch (the reference profile's int32 and gate buffers are not needed); the keyword
// model's last SOFTMAX (int8 to int16) has a kernel too.
TEST(KernelProfiles, ArenaplanRecurrentKernelsNeedNoScratch) {
  const Graph kw = model("tflm_keyword_scrambled");
  for (std::size_t op : ops_named(kw, "SVDF")) {
    const OperatorMemory m = kernel_profile("arenaplan").describe(kw, op);
    EXPECT_TRUE(m.known);
    EXPECT_EQ(m.kernel, "ap_svdf_s8");
    EXPECT_TRUE(m.scratch.empty());
    EXPECT_EQ(m.stages, 1);
  }
  EXPECT_EQ(kernel_profile("arenaplan").describe(kw, ops_named(kw, "SOFTMAX").at(0)).kernel, "ap_softmax_s8_s16");
  const Graph lstm = model("tflm_mnist_lstm_int8");
  const OperatorMemory m = kernel_profile("arenaplan").describe(lstm, 0);
  EXPECT_EQ(m.kernel, "ap_lstm_s8");
  EXPECT_TRUE(m.scratch.empty());
}

// What the kernels do not cover is refused with the reason (planned without scratch, no code).
TEST(KernelProfiles, ArenaplanRecurrentKernelsRefuseWhatTheyDoNotCover) {
  Graph lstm = model("tflm_mnist_lstm_int8");
  lstm.operators[0].attributes["fused_activation"] = 1;  // RELU for the cell gate
  OperatorMemory m = kernel_profile("arenaplan").describe(lstm, 0);
  EXPECT_FALSE(m.known);
  EXPECT_NE(m.kernel.find("not tanh"), std::string::npos) << m.kernel;
  lstm = model("tflm_mnist_lstm_int8");
  lstm.operators[0].inputs[9] = lstm.operators[0].inputs[1];  // a peephole weight
  EXPECT_NE(kernel_profile("arenaplan").describe(lstm, 0).kernel.find("peephole"), std::string::npos);
  Graph kw = model("tflm_keyword_scrambled");
  const std::size_t svdf = ops_named(kw, "SVDF").at(0);
  kw.tensors[static_cast<std::size_t>(kw.operators[svdf].inputs[4])].is_variable = false;
  m = kernel_profile("arenaplan").describe(kw, svdf);
  EXPECT_FALSE(m.known);
  EXPECT_NE(m.kernel.find("not a variable"), std::string::npos) << m.kernel;
  kw = model("tflm_keyword_scrambled");
  kw.operators[svdf].attributes["rank"] = 3;  // 64 filters
  EXPECT_NE(kernel_profile("arenaplan").describe(kw, svdf).kernel.find("rank must divide"), std::string::npos);
}

}  // namespace
}  // namespace arenaplan
