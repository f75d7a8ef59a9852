// Lowering a Graph to a Problem, and planning every bundled model: valid plans, never worse than
// TFLite Micro for the same kernel profile, and at the live-set lower bound.
#include <gtest/gtest.h>

#include <algorithm>

#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "arenaplan/model_planning.h"
#include "model_test_util.h"

namespace arenaplan {
namespace {

using test::model;

const char* const kModels[] = {"tflm_keyword_scrambled",       "tflm_test_conv_model",
                               "tflm_hello_world_int8",        "tflm_mnist_lstm_int8",
                               "tflm_audio_preprocessor_int8", "tflm_micro_speech_int8",
                               "mlperf_tiny_kws_dscnn_int8",   "mlperf_tiny_vww_mobilenetv1_int8",
                               "mlperf_tiny_ic_resnet8_int8"};

ModelPlan plan(const Graph& g, LoweringOptions lowering = {}) {
  SolveOptions solving;
  solving.time_limit_seconds = 2.0;
  return plan_model(g, lowering, solving);
}

TEST(ModelPlanning, EveryModelPlansAtTheLowerBoundAndBeatsOrMatchesTflm) {
  for (const char* name : kModels) {
    for (const char* kernels : {"reference", "cmsis-nn"}) {
      SCOPED_TRACE(std::string(name) + " " + kernels);
      const Graph g = model(name);
      LoweringOptions lowering;
      lowering.kernels = kernels;
      const ModelPlan ours = plan(g, lowering);
      EXPECT_EQ(check_plan(ours.lowered.problem, ours.plan), std::nullopt);
      EXPECT_EQ(ours.arena_bytes(), ours.arena_lower_bound());
      // TFLM keeps variables in its tail; ours keeps them in the arena by default.
      const ModelPlan tflm = plan_like_tflm(g, kernels);
      EXPECT_LE(ours.arena_bytes(), tflm.arena_bytes() + tflm.persistent_bytes());
      // With variables apart, like TFLM, the arenas compare directly.
      lowering.persistent_pool = true;
      const ModelPlan apart = plan(g, lowering);
      EXPECT_EQ(check_plan(apart.lowered.problem, apart.plan), std::nullopt);
      EXPECT_LE(apart.arena_bytes(), tflm.arena_bytes());
    }
  }
}

TEST(ModelPlanning, VisualWakeWordsReachesTheLowerBoundWhereTflmDoesNot) {
  const Graph g = model("mlperf_tiny_vww_mobilenetv1_int8");
  const ModelPlan ours = plan(g);
  EXPECT_EQ(ours.arena_bytes(), 55296);
  EXPECT_EQ(ours.arena_lower_bound(), 55296);
  // TFLM's greedy planner: 73728 with its reverse-insertion tie order (see test_tflm_compat.cpp);
  // a size-ordered greedy with insertion-order ties gets 64512. Both are above the optimum.
  EXPECT_EQ(plan_like_tflm(g, "reference").arena_bytes(), 73728);
}

TEST(ModelPlanning, StageLevelLifetimesFreeTheSvdfInputEarly) {
  const Graph g = model("tflm_keyword_scrambled");
  const ModelPlan ours = plan(g, LoweringOptions{.persistent_pool = true});
  // Keyword spotter: TFLM needs 672 bytes; with the SVDF input dead after its first stage, the
  // output and the int32 buffers share bytes with it.
  EXPECT_LT(ours.arena_bytes(), 672);
  const LoweredModel& l = ours.lowered;
  const std::size_t svdf = 1;
  ASSERT_EQ(g.operators[svdf].opcode, "SVDF");
  const Interval steps = l.operator_steps[svdf];
  EXPECT_EQ(steps.last - steps.first, 4);
  const Buffer& input = l.problem.buffers[l.tensor_buffer[g.operators[svdf].inputs[0]]];
  const Buffer& output = l.problem.buffers[l.tensor_buffer[g.operators[svdf].outputs[0]]];
  EXPECT_EQ(input.live.back().last, steps.first + 1);
  EXPECT_EQ(output.live.front().first, steps.first + 3);
  std::vector<Interval> scratch;
  for (const Buffer& b : l.problem.buffers)
    if (b.kind == BufferKind::scratch && b.op == static_cast<std::int64_t>(svdf)) scratch.push_back(b.live[0]);
  ASSERT_EQ(scratch.size(), 2u);
  EXPECT_EQ(scratch[0], (Interval{steps.first + 1, steps.first + 3}));
  EXPECT_EQ(scratch[1], (Interval{steps.first + 2, steps.first + 4}));
}

TEST(ModelPlanning, BuffersCarryTensorOperatorKindAndPool) {
  const Graph g = model("tflm_keyword_scrambled");
  const LoweredModel l = lower_graph(g, LoweringOptions{});
  for (const Buffer& b : l.problem.buffers) {
    const Pool& pool = l.problem.pools[b.pools[0]];
    if (b.kind == BufferKind::scratch) {
      EXPECT_TRUE(b.op.has_value());
      EXPECT_FALSE(b.tensor.has_value());
      EXPECT_EQ(pool.kind, PoolKind::workspace);
    } else {
      ASSERT_TRUE(b.tensor.has_value());
      const Tensor& t = g.tensors[static_cast<std::size_t>(*b.tensor)];
      EXPECT_EQ(b.kind == BufferKind::constant, t.is_constant);
      EXPECT_EQ(b.kind == BufferKind::variable, t.is_variable);
      EXPECT_EQ(pool.kind, t.is_constant ? PoolKind::constant : PoolKind::workspace);
      EXPECT_GE(b.size, t.bytes);
      EXPECT_EQ(b.size % 16, 0);
    }
  }
  // Variables are live for the whole run.
  for (const Buffer& b : l.problem.buffers)
    if (b.kind == BufferKind::variable) { EXPECT_EQ(b.live[0], (Interval{0, l.steps})); }
}

TEST(ModelPlanning, PersistentPoolOption) {
  LoweringOptions options;
  options.persistent_pool = true;
  const LoweredModel l = lower_graph(model("tflm_keyword_scrambled"), options);
  ASSERT_GE(l.persistent_pool, 0);
  for (const Buffer& b : l.problem.buffers)
    if (b.kind == BufferKind::variable) { EXPECT_EQ(b.pools[0], l.persistent_pool); }
  EXPECT_EQ(l.problem.pools[l.persistent_pool].kind, PoolKind::persistent);
}

TEST(ModelPlanning, InputsAndOutputsOutsideTheArena) {
  const Graph g = model("tflm_test_conv_model");
  LoweringOptions options;
  options.io_in_arena = false;
  const ModelPlan outside = plan(g, options);
  for (const Buffer& b : outside.lowered.problem.buffers)
    EXPECT_TRUE(b.kind != BufferKind::input && b.kind != BufferKind::output) << b.name;
  EXPECT_EQ(outside.lowered.tensor_buffer[g.inputs[0]], -1);
  EXPECT_EQ(outside.lowered.tensor_buffer[g.outputs[0]], -1);
  EXPECT_LE(outside.arena_bytes(), plan(g).arena_bytes());
  options.tflm_compat = true;
  EXPECT_THROW(lower_graph(g, options), InputError);
}

TEST(ModelPlanning, ReshapeAliasesItsInputUnlessDisabled) {
  const Graph g = model("tflm_test_conv_model");
  const std::size_t reshape = 4;
  ASSERT_EQ(g.operators[reshape].opcode, "RESHAPE");
  const auto in = g.operators[reshape].inputs[0], out = g.operators[reshape].outputs[0];
  const LoweredModel aliased = lower_graph(g, LoweringOptions{});
  EXPECT_EQ(aliased.tensor_buffer[in], aliased.tensor_buffer[out]);
  EXPECT_EQ(aliased.aliased_to[out], in);
  LoweringOptions no_alias;
  no_alias.alias_reshapes = false;
  const LoweredModel separate = lower_graph(g, no_alias);
  EXPECT_NE(separate.tensor_buffer[in], separate.tensor_buffer[out]);
}

TEST(ModelPlanning, ZeroSizeTensorsAreSkipped) {
  const Graph g = model("tflm_mnist_lstm_int8");
  const LoweredModel l = lower_graph(g, LoweringOptions{});
  int zero = 0;
  for (std::size_t t = 0; t < g.tensors.size(); ++t)
    if (g.tensors[t].bytes == 0) {
      ++zero;
      EXPECT_EQ(l.tensor_buffer[t], -1) << g.tensors[t].name;
    }
  EXPECT_EQ(zero, 5);  // the LSTM's intermediates
  EXPECT_TRUE(l.warnings.empty());
}

TEST(ModelPlanning, SharedConstantBuffersArePlacedOnce) {
  const Graph g = model("mlperf_tiny_ic_resnet8_int8");
  const LoweredModel l = lower_graph(g, LoweringOptions{});
  std::vector<std::int32_t> seen;
  for (std::size_t t = 0; t < g.tensors.size(); ++t)
    if (g.tensors[t].is_constant && l.tensor_buffer[t] >= 0) seen.push_back(l.tensor_buffer[t]);
  std::sort(seen.begin(), seen.end());
  std::vector<std::int64_t> stored;
  for (const Tensor& t : g.tensors)
    if (t.is_constant) stored.push_back(t.constant_buffer);
  std::sort(stored.begin(), stored.end());
  stored.erase(std::unique(stored.begin(), stored.end()), stored.end());
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  EXPECT_EQ(seen.size(), stored.size());
}

}  // namespace
}  // namespace arenaplan
