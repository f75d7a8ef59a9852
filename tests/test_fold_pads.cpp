// PAD folded into its consumer (docs/overlap.md): with the `arenaplan` kernels a PAD feeding only a
// convolution is not run; the convolution reads the PAD's input with explicit, asymmetric padding.
// Proven by execution: the folded model's outputs equal the unfolded model's bit for bit, and the
// arena shrinks.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <random>

#include "arenaplan/execution_check.h"
#include "arenaplan/model_planning.h"
#include "model_test_util.h"
#include "tflite_builder.h"

namespace arenaplan {
namespace {

constexpr int kFloat32 = 0, kInt32 = 2, kUint8 = 3, kInt8 = 9;
constexpr int kConv = 3, kDepthwise = 4, kMaxPool = 17, kPad = 34, kPadV2 = 60;

test::TensorSpec activation(std::string name, int type, std::vector<std::int32_t> shape, float scale = 0.0f,
                            std::int64_t zero = 0) {
  test::TensorSpec t = test::tensor(std::move(name), type, std::move(shape));
  if (scale > 0.0f) {
    t.scale = {scale};
    t.zero_point = {zero};
  }
  return t;
}

test::TensorSpec constant(std::string name, int type, std::vector<std::int32_t> shape, std::vector<std::uint8_t> data,
                          float scale = 0.0f, std::int64_t zero = 0) {
  test::TensorSpec t = activation(std::move(name), type, std::move(shape), scale, zero);
  t.constant = true;
  t.data = std::move(data);
  return t;
}

// Paddings [4, 2] (int32): rows and columns before and after.
test::TensorSpec paddings(std::string name, std::vector<std::int32_t> v) {
  std::vector<std::uint8_t> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return constant(std::move(name), kInt32, {4, 2}, std::move(b));
}

std::vector<std::uint8_t> random_bytes(std::size_t n, std::uint32_t seed) {
  std::mt19937 random(seed);
  std::vector<std::uint8_t> b(n);
  for (auto& x : b) x = static_cast<std::uint8_t>(random());
  return b;
}

std::vector<std::uint8_t> random_floats(std::size_t n, std::uint32_t seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  std::vector<std::uint8_t> b(n * 4);
  for (std::size_t i = 0; i < n; ++i) {
    const float f = value(random);
    std::memcpy(b.data() + 4 * i, &f, 4);
  }
  return b;
}

std::vector<std::uint8_t> small_ints(std::size_t n, std::uint32_t seed) {
  std::mt19937 random(seed);
  std::vector<std::uint8_t> b(n * 4);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int32_t v = static_cast<std::int32_t>(random() % 2001) - 1000;
    std::memcpy(b.data() + 4 * i, &v, 4);
  }
  return b;
}

Graph graph_of(const test::ModelSpec& spec, const std::string& name) {
  return test::read_spec(spec, "fold-pads", name);
}

// int8: PAD (rows 2 before, 1 after; columns 3 after) -> 3x3 CONV_2D VALID -> PAD (1 row before, 2
// columns after) -> 3x3 DEPTHWISE_CONV_2D stride 2 VALID, depth multiplier 2.
Graph int8_model() {
  test::ModelSpec m;
  m.tensors = {activation("x", kInt8, {1, 7, 6, 3}, 0.1f, -3),
               paddings("pads1", {0, 0, 2, 1, 0, 3, 0, 0}),
               activation("x_padded", kInt8, {1, 10, 9, 3}, 0.1f, -3),
               constant("w1", kInt8, {4, 3, 3, 3}, random_bytes(108, 1), 0.02f),
               constant("b1", kInt32, {4}, small_ints(4, 2), 0.002f),
               activation("c", kInt8, {1, 8, 7, 4}, 0.15f, 7),
               paddings("pads2", {0, 0, 1, 0, 0, 2, 0, 0}),
               activation("c_padded", kInt8, {1, 9, 9, 4}, 0.15f, 7),
               constant("w2", kInt8, {1, 3, 3, 8}, random_bytes(72, 3), 0.03f),
               constant("b2", kInt32, {8}, small_ints(8, 4), 0.0045f),
               activation("d", kInt8, {1, 4, 4, 8}, 0.2f, -5)};
  test::OpSpec conv = test::op(kConv, {2, 3, 4}, {5});
  conv.padding = 1;  // VALID
  test::OpSpec depthwise = test::op(kDepthwise, {7, 8, 9}, {10});
  depthwise.padding = 1;
  depthwise.stride = 2;
  depthwise.depth_multiplier = 2;
  m.ops = {test::op(kPad, {0, 1}, {2}), conv, test::op(kPad, {5, 6}, {7}), depthwise};
  m.inputs = {0};
  m.outputs = {10};
  return graph_of(m, "int8");
}

// float32: PADV2 (value 0.0f; rows 1 before, 2 after; columns 3 before) -> 3x3 CONV_2D SAME stride 2
// (its own padding adds to the PAD's) -> PAD (1 row after, a column on each side) -> 3x3
// DEPTHWISE_CONV_2D VALID.
Graph float32_model() {
  test::ModelSpec m;
  m.tensors = {activation("x", kFloat32, {1, 6, 5, 2}),
               paddings("pads1", {0, 0, 1, 2, 3, 0, 0, 0}),
               constant("zero", kFloat32, {1}, std::vector<std::uint8_t>(4, 0)),
               activation("x_padded", kFloat32, {1, 9, 8, 2}),
               constant("w1", kFloat32, {3, 3, 3, 2}, random_floats(54, 5)),
               constant("b1", kFloat32, {3}, random_floats(3, 6)),
               activation("c", kFloat32, {1, 5, 4, 3}),
               paddings("pads2", {0, 0, 0, 1, 1, 1, 0, 0}),
               activation("c_padded", kFloat32, {1, 6, 6, 3}),
               constant("w2", kFloat32, {1, 3, 3, 3}, random_floats(27, 7)),
               constant("b2", kFloat32, {3}, random_floats(3, 8)),
               activation("d", kFloat32, {1, 4, 4, 3})};
  test::OpSpec conv = test::op(kConv, {3, 4, 5}, {6});
  conv.padding = 0;  // SAME
  conv.stride = 2;
  test::OpSpec depthwise = test::op(kDepthwise, {8, 9, 10}, {11});
  depthwise.padding = 1;
  m.ops = {test::op(kPadV2, {0, 1, 2}, {3}), conv, test::op(kPad, {6, 7}, {8}), depthwise};
  m.inputs = {0};
  m.outputs = {11};
  return graph_of(m, "float32");
}

ModelPlan planned(const Graph& g, bool fold, bool overlaps = true) {
  LoweringOptions lowering;
  lowering.kernels = "arenaplan";
  lowering.fold_pads = fold;
  lowering.overlaps = overlaps;
  return plan_model(g, lowering, SolveOptions{});
}

ExecutionReport executed(const Graph& g, const ModelPlan& p) {
  ExecutionOptions options = test::execution_options();
  options.random_inputs = 1;
  return check_by_execution(g, p.lowered, p.plan, options);
}

// Two builds and runs (about 5 s each on a busy 2-core machine): with overlap, as `run` plans.
void expect_folded_equals_unfolded(const Graph& g) {
  {
    const ModelPlan folded = planned(g, true), unfolded = planned(g, false);
    ASSERT_EQ(folded.lowered.folded_into, (std::vector<std::int32_t>{1, -1, 3, -1}));
    EXPECT_FALSE(unfolded.lowered.folded_graph);
    // The padded tensors have no bytes of their own.
    EXPECT_EQ(folded.lowered.tensor_buffer[static_cast<std::size_t>(g.operators[0].outputs[0])], -1);
    EXPECT_EQ(folded.lowered.tensor_buffer[static_cast<std::size_t>(g.operators[2].outputs[0])], -1);
    EXPECT_LT(folded.arena_bytes(), unfolded.arena_bytes());
    const ExecutionReport a = executed(g, folded), b = executed(g, unfolded);
    EXPECT_TRUE(a.passed()) << (a.mismatches.empty() ? "guards" : a.mismatches[0].tensor);
    EXPECT_TRUE(b.passed());
    ASSERT_EQ(a.outputs.size(), 1u);
    EXPECT_EQ(a.outputs, b.outputs);  // bit-identical to the model that runs its PADs
  }
}

TEST(FoldPads, Int8ConvAndDepthwiseWithAsymmetricPadsRunBitIdentical) { expect_folded_equals_unfolded(int8_model()); }

TEST(FoldPads, Float32SameConvAndDepthwiseRunBitIdentical) { expect_folded_equals_unfolded(float32_model()); }

TEST(FoldPads, ArenaShrinksByThePaddedTensors) {
  const Graph g = int8_model();
  // Whole tensors (16-byte slots): the peak c (224) + c_padded (336) of the second PAD becomes the
  // largest pair left, x (128) + c or c + d (128).
  EXPECT_EQ(planned(g, false, false).arena_bytes(), 224 + 336);
  EXPECT_EQ(planned(g, true, false).arena_bytes(), 224 + 128);
}

TEST(FoldPads, TfliteMicroProfilesKeepThePad) {
  const Graph g = int8_model();
  for (const char* kernels : {"reference", "cmsis-nn"}) {
    LoweringOptions lowering;
    lowering.kernels = kernels;
    const LoweredModel l = lower_graph(g, lowering);
    EXPECT_FALSE(l.folded_graph) << kernels;
  }
  LoweringOptions compat;
  compat.kernels = "arenaplan";
  compat.tflm_compat = true;
  EXPECT_FALSE(lower_graph(g, compat).folded_graph);
}

// Not folded: a pad value other than the zero point, channel padding, a pool consumer (MAX_POOL
// pads with -inf), and a padded tensor read twice.
TEST(FoldPads, KeepsPadsTheConsumerCannotAbsorb) {
  test::ModelSpec m;
  m.tensors = {activation("x", kUint8, {1, 5, 5, 2}, 0.1f, 128),
               paddings("rows", {0, 0, 1, 1, 0, 0, 0, 0}),
               constant("seven", kUint8, {1}, {7}, 0.1f, 128),
               activation("p_value", kUint8, {1, 7, 5, 2}, 0.1f, 128),
               constant("w", kUint8, {2, 3, 3, 2}, random_bytes(36, 9), 0.02f, 120),
               activation("c1", kUint8, {1, 5, 3, 2}, 0.2f, 100),
               paddings("channels", {0, 0, 0, 0, 0, 0, 0, 2}),
               activation("p_channels", kUint8, {1, 5, 3, 4}, 0.2f, 100),
               constant("w4", kUint8, {2, 3, 3, 4}, random_bytes(72, 10), 0.02f, 120),
               activation("c2", kUint8, {1, 3, 1, 2}, 0.2f, 100),
               paddings("pool_pads", {0, 0, 1, 1, 1, 1, 0, 0}),
               activation("p_pool", kUint8, {1, 5, 3, 2}, 0.2f, 100),
               activation("pooled", kUint8, {1, 3, 1, 2}, 0.2f, 100)};
  test::OpSpec conv1 = test::op(kConv, {3, 4, -1}, {5});
  conv1.padding = 1;
  test::OpSpec conv2 = test::op(kConv, {7, 8, -1}, {9});
  conv2.padding = 1;
  test::OpSpec pool = test::op(kMaxPool, {11}, {12});
  pool.padding = 1;
  pool.filter = 3;
  m.ops = {test::op(kPadV2, {0, 1, 2}, {3}), conv1, test::op(kPad, {5, 6}, {7}), conv2,
           test::op(kPad, {9, 10}, {11}),    pool};
  m.inputs = {0};
  m.outputs = {12};
  const Graph g = graph_of(m, "kept");
  LoweringOptions lowering;
  lowering.kernels = "arenaplan";
  const LoweredModel l = lower_graph(g, lowering);
  EXPECT_FALSE(l.folded_graph);
  EXPECT_EQ(l.folded_into, std::vector<std::int32_t>(6, -1));
}

}  // namespace
}  // namespace arenaplan
