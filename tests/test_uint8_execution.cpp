// A small uint8 model built in memory (every uint8 kernel and both resizes, as the zoo's uint8
// models use them), lowered for the `arenaplan` kernels, compiled and run by the execution
// check: planned pools, poisoned and guarded, against separate buffers. The zoo models
// themselves take tens of seconds (their results are in tools/tflite_oracle/README.md).
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>

#include "arenaplan/execution_check.h"
#include "arenaplan/kernels.h"
#include "arenaplan/model_planning.h"
#include "model_test_util.h"

namespace arenaplan {
namespace {

struct Builder {
  Graph g;

  std::int32_t add(const std::string& name, DataType type, std::vector<std::int64_t> shape, float scale = 0.0f,
                   std::int64_t zero = 0) {
    Tensor t;
    t.name = name;
    t.type = type;
    t.shape = std::move(shape);
    t.bytes = *data_bytes(type, t.elements(), name);
    if (scale > 0.0f) t.quantization = Quantization{{scale}, {zero}, 0};
    g.tensors.push_back(t);
    return static_cast<std::int32_t>(g.tensors.size() - 1);
  }

  // A constant whose bytes follow a fixed pattern (or `values` for int32 data).
  std::int32_t constant(const std::string& name, DataType type, std::vector<std::int64_t> shape, float scale = 0.0f,
                        std::int64_t zero = 0, std::vector<std::int32_t> values = {}) {
    const std::int32_t i = add(name, type, std::move(shape), scale, zero);
    Tensor& t = g.tensors[static_cast<std::size_t>(i)];
    std::vector<std::uint8_t> data(static_cast<std::size_t>(t.bytes));
    for (std::size_t k = 0; k < data.size(); ++k) data[k] = static_cast<std::uint8_t>((k * 37 + 11) % 251);
    if (!values.empty()) std::memcpy(data.data(), values.data(), data.size());
    t.is_constant = true;
    t.constant_buffer = static_cast<std::int64_t>(g.constant_data.size());
    g.constant_data.push_back(std::move(data));
    return i;
  }

  Operator& op(const std::string& opcode, std::vector<std::int32_t> inputs, std::vector<std::int32_t> outputs) {
    Operator o;
    o.opcode = opcode;
    o.inputs = std::move(inputs);
    o.outputs = std::move(outputs);
    g.operators.push_back(o);
    return g.operators.back();
  }
};

Graph uint8_model() {
  Builder b;
  b.g.source = "uint8_synthetic.tflite";
  const DataType u8 = DataType::uint8, i32 = DataType::int32;
  const auto input = b.add("input", u8, {1, 6, 6, 3}, 0.02f, 128);
  const auto conv = b.add("conv", u8, {1, 6, 6, 4}, 0.05f, 100);
  Operator& c = b.op(
      "CONV_2D", {input, b.constant("conv_w", u8, {4, 3, 3, 3}, 0.01f, 120), b.constant("conv_b", i32, {4})}, {conv});
  c.attributes = {{"padding", kPaddingSame}, {"stride_h", 1}, {"stride_w", 1}, {"fused_activation", 3}};
  const auto dw = b.add("dw", u8, {1, 3, 3, 4}, 0.04f, 90);
  Operator& d = b.op("DEPTHWISE_CONV_2D",
                     {conv, b.constant("dw_w", u8, {1, 3, 3, 4}, 0.02f, 255), b.constant("dw_b", i32, {4})}, {dw});
  d.attributes = {{"padding", kPaddingSame}, {"stride_h", 2}, {"stride_w", 2}, {"depth_multiplier", 1}};
  const auto nearest = b.add("nearest", u8, {1, 6, 6, 4}, 0.04f, 90);
  b.op("RESIZE_NEAREST_NEIGHBOR", {dw, b.constant("size6", i32, {2}, 0, 0, {6, 6})}, {nearest}).attributes = {
      {"half_pixel_centers", 1}};
  const auto sum = b.add("sum", u8, {1, 6, 6, 4}, 0.06f, 0);
  b.op("ADD", {conv, nearest}, {sum});
  const auto avg = b.add("avg", u8, {1, 3, 3, 4}, 0.06f, 0);
  b.op("AVERAGE_POOL_2D", {sum}, {avg}).attributes = {
      {"padding", kPaddingValid}, {"stride_h", 2}, {"stride_w", 2}, {"filter_h", 2}, {"filter_w", 2}};
  const auto shifted = b.add("shifted", u8, {1, 6, 6, 4}, 0.07f, 3);
  b.op("ADD", {sum, b.constant("per_channel", u8, {4}, 0.01f, 100)}, {shifted});
  const auto max = b.add("max", u8, {1, 3, 3, 4}, 0.07f, 3);
  b.op("MAX_POOL_2D", {shifted}, {max}).attributes = {
      {"padding", kPaddingSame}, {"stride_h", 2}, {"stride_w", 2}, {"filter_h", 3}, {"filter_w", 3}};
  const auto bilinear = b.add("bilinear", u8, {1, 5, 5, 4}, 0.06f, 0);
  b.op("RESIZE_BILINEAR", {avg, b.constant("size5", i32, {2}, 0, 0, {5, 5})}, {bilinear}).attributes = {
      {"align_corners", 1}};
  const auto flat = b.add("flat", u8, {25, 4}, 0.06f, 0);
  b.op("RESHAPE", {bilinear, b.constant("shape", i32, {2}, 0, 0, {25, 4})}, {flat});
  const auto fc = b.add("fc", u8, {25, 3}, 0.1f, 128);
  b.op("FULLY_CONNECTED", {flat, b.constant("fc_w", u8, {3, 4}, 0.03f, 128), b.constant("fc_b", i32, {3})}, {fc});
  // Rescaled parts: a constant row and the FULLY_CONNECTED output, into another quantization.
  const auto row = b.constant("bias_row", u8, {1, 3}, 0.05f, 7);
  const auto both = b.add("both", u8, {26, 3}, 0.12f, 120);
  b.op("CONCATENATION", {row, fc}, {both}).attributes = {{"axis", 0}};
  const auto begin = b.constant("begin", i32, {2}, 0, 0, {1, 0});
  const auto size = b.constant("size", i32, {2}, 0, 0, {25, 3});
  const auto logits = b.add("logits", u8, {25, 3}, 0.12f, 120);
  b.op("SLICE", {both, begin, size}, {logits});
  const auto probs = b.add("probs", u8, {25, 3}, 1.0f / 256.0f, 0);
  b.op("SOFTMAX", {logits}, {probs});
  b.g.inputs = {input};
  b.g.outputs = {probs, max};
  b.g.tensors[static_cast<std::size_t>(input)].is_input = true;
  for (auto o : b.g.outputs) b.g.tensors[static_cast<std::size_t>(o)].is_output = true;
  return b.g;
}

TEST(Uint8Execution, EveryUint8KernelRunsBitIdenticalToSeparateBuffers) {
  const Graph graph = uint8_model();
  LoweringOptions lowering;
  lowering.kernels = "arenaplan";
  const ModelPlan p = plan_model(graph, lowering, SolveOptions{});
  std::set<std::string> kernels;
  for (const OperatorMemory& m : p.lowered.operator_memory) {
    EXPECT_TRUE(m.known) << m.kernel;
    kernels.insert(m.kernel);
  }
  for (const char* k : {"ap_conv2d_u8", "ap_depthwise_conv2d_u8", "ap_resize_nearest", "ap_add_u8",
                        "ap_add_u8_broadcast", "ap_average_pool_u8", "ap_max_pool_u8", "ap_resize_bilinear_u8",
                        "ap_fully_connected_u8", "ap_concatenation_u8", "ap_softmax_u8"})
    EXPECT_TRUE(kernels.contains(k)) << k;
  const ExecutionReport r = check_by_execution(graph, p.lowered, p.plan, test::execution_options());
  EXPECT_TRUE(r.passed());
  EXPECT_EQ(r.input_sets, 3);
  EXPECT_EQ(r.outputs_compared, static_cast<std::int64_t>(graph.operators.size()) * 6);
}

Tensor& weights(Graph& g) { return g.tensors[static_cast<std::size_t>(g.operators[0].inputs[1])]; }

// What the `arenaplan` profile says for operator `op` of the model after `change`.
std::string refusal(std::size_t op, void (*change)(Graph&)) {
  Graph g = uint8_model();
  change(g);
  const OperatorMemory m = kernel_profile("arenaplan").describe(g, op);
  return m.known ? "known: " + m.kernel : m.kernel;
}

// Operands the uint8 kernels do not take are refused with the reason (run and compile then exit 2
// naming the operator), never run with wrong arithmetic.
TEST(Uint8Execution, UnsupportedOperandsAreRefusedWithTheReason) {
  EXPECT_EQ(refusal(0,
                    [](Graph& g) {
                      weights(g).quantization = Quantization{{0.01f, 0.02f}, {120, 120}, 0};
                    }),
            "uint8 operands need one scale and zero point per tensor");
  EXPECT_EQ(refusal(0, [](Graph& g) { weights(g).quantization.zero_point = {256}; }),
            "uint8 operands need one scale and zero point per tensor");
  EXPECT_EQ(refusal(0, [](Graph& g) { weights(g).type = DataType::int8; }),
            "uint8 input needs uint8 weights and output");
  EXPECT_EQ(refusal(2, [](Graph& g) { g.operators[2].attributes["align_corners"] = 1; }),
            "align_corners with half_pixel_centers");
  EXPECT_EQ(refusal(2,
                    [](Graph& g) {
                      g.tensors[static_cast<std::size_t>(g.operators[2].outputs[0])].quantization.zero_point = {91};
                    }),
            "resize keeps the type and quantization");
  EXPECT_EQ(refusal(2,
                    [](Graph& g) {
                      g.tensors[static_cast<std::size_t>(g.operators[2].outputs[0])].shape = {1, 7, 6, 4};
                    }),
            "resize of a non-empty 4-D NHWC tensor to a constant size equal to the output's");
  EXPECT_EQ(refusal(3,
                    [](Graph& g) {
                      g.tensors[static_cast<std::size_t>(g.operators[3].inputs[1])].shape = {1, 1, 6, 4};
                    }),
            "known: ap_add_u8_broadcast");
  EXPECT_EQ(refusal(12, [](Graph& g) { g.tensors.back().quantization.zero_point = {1}; }),
            "uint8 SOFTMAX needs output scale 1/256 and zero point 0");
}

}  // namespace
}  // namespace arenaplan
