// The ONNX importer (docs/onnx.md): real models plan, weights and layouts are what the kernels
// expect, folding is exact, and bad files are one InputError each, never a crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/onnx.h"
#include "model_test_util.h"
#include "onnx_builder.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;
using test::OnnxBuilder;

std::string bundled(const std::string& name) { return std::string(ARENAPLAN_REPO_DIR) + "/data/models/" + name; }
const fs::path kShared = fs::path(ARENAPLAN_REPO_DIR) / ".." / "shared" / "models";

Graph parse(const OnnxBuilder& b, const OnnxOptions& options = {}) {
  const std::vector<std::uint8_t> bytes = b.bytes();
  return parse_onnx(bytes, "m.onnx", options);
}

std::string error_of(const OnnxBuilder& b) {
  try {
    parse(b);
  } catch (const InputError& e) { return e.what(); }
  return "(no error)";
}

std::vector<float> floats(const Graph& g, std::int32_t tensor) {
  const Tensor& t = g.tensors[static_cast<std::size_t>(tensor)];
  const auto& data = g.constant_data[static_cast<std::size_t>(t.constant_buffer)];
  std::vector<float> out(data.size() / 4);
  std::memcpy(out.data(), data.data(), out.size() * 4);
  return out;
}

std::vector<const Operator*> ops_of(const Graph& g, const std::string& opcode) {
  std::vector<const Operator*> out;
  for (const Operator& op : g.operators)
    if (op.opcode == opcode) out.push_back(&op);
  return out;
}

ModelPlan plan(const Graph& g) {
  SolveOptions solving;
  solving.algorithm = "best_fit_by_first_use";  // the import is under test, not the search
  return plan_model(g, LoweringOptions{}, solving);
}

// Every model of ../shared/models/onnx and zoo/onnx plans (the four small ones are bundled);
// no ConstantOfShape weight reaches the arena: every weight operand is a constant.
TEST(OnnxImport, EveryOnnxModelPlansWithItsWeightsAsConstants) {
  std::vector<std::string> files = {bundled("hello_world_keras2onnx.onnx"), bundled("mnist8_modelzoo_cntk.onnx"),
                                    bundled("light_squeezenet.onnx"), bundled("onnx_light_bvlc_alexnet.onnx")};
  for (const char* name : {"onnx/light_resnet50.onnx", "zoo/onnx/libonnx_super_resolution_10.onnx",
                           "zoo/onnx/onnx_light_densenet121.onnx"})
    if (fs::exists(kShared / name)) files.push_back((kShared / name).string());
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    const Graph g = read_model(file);
    ASSERT_FALSE(g.operators.empty());
    for (const Operator& op : g.operators) {
      if (op.opcode == "CONV_2D" || op.opcode == "DEPTHWISE_CONV_2D" || op.opcode == "FULLY_CONNECTED") {
        EXPECT_TRUE(g.tensors[static_cast<std::size_t>(op.inputs[1])].is_constant) << op.opcode;
      }
    }
    const ModelPlan p = plan(g);
    EXPECT_FALSE(check_plan(p.lowered.problem, p.plan).has_value());
    EXPECT_GT(p.arena_bytes(), 0);
  }
}

// The float twin of TFLite Micro's hello_world plans into the same arena as the .tflite model.
TEST(OnnxImport, HelloWorldHasTheArenaOfTheTfliteFloatModel) {
  const fs::path tflite = kShared / "zoo" / "tflite" / "tflm_hello_world_float.tflite";
  if (!fs::exists(tflite)) GTEST_SKIP() << "needs ../shared/models/zoo";
  const Graph onnx = read_model(bundled("hello_world_keras2onnx.onnx"));
  const Graph tfl = read_model(tflite.string());
  ASSERT_EQ(ops_of(onnx, "FULLY_CONNECTED").size(), ops_of(tfl, "FULLY_CONNECTED").size());
  EXPECT_EQ(onnx.operators.size(), tfl.operators.size());
  for (const char* kernels : {"reference", "arenaplan"}) {
    LoweringOptions lowering;
    lowering.kernels = kernels;
    const ModelPlan a = plan_model(onnx, lowering, SolveOptions{}), b = plan_model(tfl, lowering, SolveOptions{});
    EXPECT_EQ(a.arena_bytes(), b.arena_bytes()) << kernels;
  }
}

// The format is told by content: a TFLite model under another name is read as TFLite.
TEST(OnnxImport, ReadModelSniffsTheFormat) {
  const std::string dir = test::fresh_dir("onnx", "sniff");
  fs::copy_file(bundled("tflm_hello_world_int8.tflite"), dir + "/model");
  fs::copy_file(bundled("hello_world_keras2onnx.onnx"), dir + "/other");
  EXPECT_EQ(read_model(dir + "/model").operators.size(),
            read_tflite(bundled("tflm_hello_world_int8.tflite")).operators.size());
  EXPECT_EQ(read_model(dir + "/other").tensors.size(),
            read_onnx(bundled("hello_world_keras2onnx.onnx")).tensors.size());
}

// Conv weights OIHW -> OHWI, the NCHW input transposed into NHWC and the output back.
TEST(OnnxImport, ConvWeightsAndActivationsAreNhwc) {
  OnnxBuilder b;
  b.input("x", {1, 2, 3, 3});
  std::vector<float> w(3 * 2 * 2 * 2);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i);
  b.initializer("w", {3, 2, 2, 2}, w);
  b.node("Conv", {"x", "w"}, {"y"});
  b.output("y", {1, 3, 2, 2});
  const Graph g = parse(b);
  ASSERT_EQ(g.operators.size(), 3u);
  EXPECT_EQ(g.operators[0].opcode, "TRANSPOSE");
  EXPECT_EQ(g.operators[1].opcode, "CONV_2D");
  EXPECT_EQ(g.operators[2].opcode, "TRANSPOSE");
  EXPECT_EQ(g.tensors[static_cast<std::size_t>(g.inputs[0])].shape, (std::vector<std::int64_t>{1, 2, 3, 3}));
  EXPECT_EQ(g.tensors[static_cast<std::size_t>(g.outputs[0])].shape, (std::vector<std::int64_t>{1, 3, 2, 2}));
  const Operator& conv = g.operators[1];
  EXPECT_EQ(g.tensors[static_cast<std::size_t>(conv.inputs[0])].shape, (std::vector<std::int64_t>{1, 3, 3, 2}));
  EXPECT_EQ(conv.attribute_or("padding", -1), kPaddingValid);
  const std::vector<float> ohwi = floats(g, conv.inputs[1]);
  for (int o = 0; o < 3; ++o)
    for (int i = 0; i < 2; ++i)
      for (int h = 0; h < 2; ++h)
        for (int x = 0; x < 2; ++x)
          EXPECT_EQ(ohwi[static_cast<std::size_t>(((o * 2 + h) * 2 + x) * 2 + i)],
                    w[static_cast<std::size_t>(((o * 2 + i) * 2 + h) * 2 + x)]);
}

// Flatten of an NHWC value into a Gemm: no TRANSPOSE; the weights' columns are reordered to HWC.
TEST(OnnxImport, FlattenIntoGemmPermutesTheWeightsInstead) {
  OnnxBuilder b;
  b.input("x", {1, 2, 2, 3});  // C=2, H=2, W=3
  b.initializer("k", {2, 2, 1, 1}, {1, 0, 0, 1});
  b.node("Conv", {"x", "k"}, {"c"});
  OnnxBuilder::integer(b.node("Flatten", {"c"}, {"f"}), "axis", 1);
  std::vector<float> w(2 * 12);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i);
  b.initializer("w", {2, 12}, w);
  OnnxBuilder::integer(b.node("Gemm", {"f", "w"}, {"y"}), "transB", 1);
  b.output("y", {1, 2});
  const Graph g = parse(b);
  EXPECT_EQ(ops_of(g, "TRANSPOSE").size(), 1u);  // the NCHW graph input only
  const auto fc = ops_of(g, "FULLY_CONNECTED");
  ASSERT_EQ(fc.size(), 1u);
  const std::vector<float> stored = floats(g, fc[0]->inputs[1]);
  for (int n = 0; n < 2; ++n)
    for (int c = 0; c < 2; ++c)
      for (int h = 0; h < 2; ++h)
        for (int x = 0; x < 3; ++x)
          EXPECT_EQ(stored[static_cast<std::size_t>(n * 12 + (h * 3 + x) * 2 + c)],
                    w[static_cast<std::size_t>(n * 12 + c * 6 + h * 3 + x)]);
}

// Size-1 moves are RESHAPEs (planned on their input's bytes), not TRANSPOSEs.
TEST(OnnxImport, TransposeOfOnlySizeOneDimensionsIsAReshape) {
  OnnxBuilder b;
  b.input("x", {1, 1, 4, 4});
  b.initializer("w", {2, 1, 1, 1}, {1.0f, 2.0f});
  b.node("Conv", {"x", "w"}, {"y"});
  b.output("y", {1, 2, 4, 4});
  const Graph g = parse(b);
  EXPECT_EQ(g.operators.front().opcode, "RESHAPE");
  EXPECT_EQ(g.operators.back().opcode, "TRANSPOSE");
}

// Conv -> BatchNormalization -> Relu is one CONV_2D with scaled weights, a new bias and RELU.
TEST(OnnxImport, BatchNormFoldsIntoTheConvAndReluFuses) {
  OnnxBuilder b;
  b.input("x", {1, 1, 2, 2});
  b.initializer("w", {2, 1, 1, 1}, {0.5f, -2.0f});
  b.initializer("bias", {2}, {1.0f, 3.0f});
  b.initializer("gamma", {2}, {2.0f, 0.25f});
  b.initializer("beta", {2}, {0.5f, -1.0f});
  b.initializer("mean", {2}, {1.5f, 2.0f});
  b.initializer("var", {2}, {3.0f, 0.5f});
  b.node("Conv", {"x", "w", "bias"}, {"c"});
  OnnxBuilder::real(b.node("BatchNormalization", {"c", "gamma", "beta", "mean", "var"}, {"n"}), "epsilon", 1e-3f);
  b.node("Relu", {"n"}, {"y"});
  b.output("y", {1, 2, 2, 2});
  const Graph g = parse(b);
  const auto convs = ops_of(g, "CONV_2D");
  ASSERT_EQ(convs.size(), 1u);
  EXPECT_EQ(g.operators.size(), 3u);  // RESHAPE in, CONV_2D, TRANSPOSE out
  EXPECT_EQ(convs[0]->attribute_or("fused_activation", 0), 1);
  const std::vector<float> w = floats(g, convs[0]->inputs[1]), bias = floats(g, convs[0]->inputs[2]);
  const double w0[2] = {0.5, -2.0}, b0[2] = {1.0, 3.0}, gamma[2] = {2.0, 0.25}, beta[2] = {0.5, -1.0},
               mean[2] = {1.5, 2.0}, var[2] = {3.0, 0.5};
  for (int c = 0; c < 2; ++c) {
    const double s = gamma[c] / std::sqrt(var[c] + static_cast<double>(1e-3f));
    EXPECT_FLOAT_EQ(w[static_cast<std::size_t>(c)], static_cast<float>(w0[c] * s));
    EXPECT_FLOAT_EQ(bias[static_cast<std::size_t>(c)], static_cast<float>((b0[c] - mean[c]) * s + beta[c]));
  }
}

// Pads that SAME reproduces need no PAD; others (ResNet's 7x7 stride 2, pad 3) get one before VALID.
TEST(OnnxImport, ExplicitPadsBecomeSameOrAPad) {
  for (const bool same : {true, false}) {
    OnnxBuilder b;
    b.input("x", {1, 1, 8, 8});
    b.initializer("w", {1, 1, 3, 3}, std::vector<float>(9, 1.0f));
    auto* conv = b.node("Conv", {"x", "w"}, {"y"});
    OnnxBuilder::ints(conv, "pads",
                      same ? std::vector<std::int64_t>{1, 1, 1, 1} : std::vector<std::int64_t>{2, 2, 0, 0});
    b.output("y", {1, 1, 8, 8});
    const Graph g = parse(b);
    const auto convs = ops_of(g, "CONV_2D");
    ASSERT_EQ(convs.size(), 1u);
    EXPECT_EQ(convs[0]->attribute_or("padding", -1), same ? kPaddingSame : kPaddingValid);
    EXPECT_EQ(ops_of(g, "PAD").size(), same ? 0u : 1u);
    if (!same) {
      const Tensor& padded = g.tensors[static_cast<std::size_t>(convs[0]->inputs[0])];
      EXPECT_EQ(padded.shape, (std::vector<std::int64_t>{1, 10, 10, 1}));
    }
  }
}

// Clip's bounds are attributes before opset 11 and inputs from it: RELU6 fused either way.
TEST(OnnxImport, OpsetsSevenToSeventeen) {
  for (const std::int64_t opset : {7, 10, 11, 13, 17}) {
    SCOPED_TRACE(opset);
    OnnxBuilder b(opset);
    b.input("x", {1, 3});
    b.initializer("w", {3, 2}, {1, 2, 3, 4, 5, 6});
    b.initializer("c", {2}, {0.5f, -0.5f});
    b.node("Gemm", {"x", "w", "c"}, {"g"});
    if (opset < 11) {
      auto* clip = b.node("Clip", {"g"}, {"r"});
      OnnxBuilder::real(clip, "min", 0.0f);
      OnnxBuilder::real(clip, "max", 6.0f);
    } else {
      b.initializer("lo", {}, {0.0f});
      b.initializer("hi", {}, {6.0f});
      b.node("Clip", {"g", "lo", "hi"}, {"r"});
    }
    b.node("Softmax", {"r"}, {"y"});
    b.output("y", {1, 2});
    const Graph g = parse(b);
    ASSERT_EQ(g.operators.size(), 2u);
    EXPECT_EQ(g.operators[0].opcode, "FULLY_CONNECTED");
    EXPECT_EQ(g.operators[0].attribute_or("fused_activation", 0), 3);  // RELU6
    EXPECT_EQ(g.operators[1].opcode, "SOFTMAX");
    // Weights [K, N] are stored [N, K].
    EXPECT_EQ(floats(g, g.operators[0].inputs[1]), (std::vector<float>{1, 3, 5, 2, 4, 6}));
  }
}

TEST(OnnxImport, SymbolicDimensionsAreOneOrGiven) {
  OnnxBuilder b;
  b.input("x", {-1, 4});
  b.node("Relu", {"x"}, {"y"});
  b.output("y", {-1, 4});
  EXPECT_EQ(parse(b).tensors[0].shape, (std::vector<std::int64_t>{1, 4}));
  OnnxOptions options;
  options.dims["N"] = 3;
  EXPECT_EQ(parse(b, options).tensors[0].shape, (std::vector<std::int64_t>{3, 4}));
}

TEST(OnnxImport, QuantizeAndDequantizeCarryTheirParameters) {
  OnnxBuilder b;
  b.input("x", {1, 4});
  b.initializer("s", {}, {0.5f});
  auto* zp = b.proto().mutable_graph()->add_initializer();
  zp->set_name("z");
  zp->set_data_type(onnx::TensorProto_DataType_INT8);
  zp->add_int32_data(-3);
  b.node("QuantizeLinear", {"x", "s", "z"}, {"q"});
  b.node("DequantizeLinear", {"q", "s", "z"}, {"y"});
  b.output("y", {1, 4});
  const Graph g = parse(b);
  ASSERT_EQ(g.operators.size(), 2u);
  EXPECT_EQ(g.operators[0].opcode, "QUANTIZE");
  const Tensor& q = g.tensors[static_cast<std::size_t>(g.operators[0].outputs[0])];
  EXPECT_EQ(q.type, DataType::int8);
  EXPECT_EQ(q.quantization.scale, std::vector<float>{0.5f});
  EXPECT_EQ(q.quantization.zero_point, std::vector<std::int64_t>{-3});
}

// DequantizeLinear -> Conv -> QuantizeLinear (ONNX Runtime's QDQ form) is one int8 CONV_2D on the
// quantized tensors, with per-channel weight scales; QLinearConv (uint8) the same.
TEST(OnnxImport, QdqAndQLinearConvAreOneQuantizedConv) {
  constexpr std::int32_t kInt8 = onnx::TensorProto_DataType_INT8, kUint8 = onnx::TensorProto_DataType_UINT8,
                         kInt32 = onnx::TensorProto_DataType_INT32;
  for (const bool qlinear : {false, true}) {
    SCOPED_TRACE(qlinear ? "QLinearConv" : "QDQ");
    const std::int32_t type = qlinear ? kUint8 : kInt8;
    OnnxBuilder b;
    b.input("xq", {1, 1, 4, 4}, type);
    b.initializer("xs", {}, {0.25f});
    b.typed("xz", type, {}, {qlinear ? 128 : 3});
    b.typed("w", type, {2, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1});
    b.initializer("ws", {2}, {0.5f, 0.125f});
    b.typed("wz", type, {2}, {0, 0});
    b.typed("bias", kInt32, {2}, {10, -20});
    b.initializer("bs", {2}, {0.125f, 0.03125f});
    b.typed("bz", kInt32, {2}, {0, 0});
    b.initializer("ys", {}, {1.5f});
    b.typed("yz", type, {}, {qlinear ? 120 : -5});
    if (qlinear) {
      b.node("QLinearConv", {"xq", "xs", "xz", "w", "ws", "wz", "ys", "yz", "bias"}, {"yq"});
    } else {
      b.node("DequantizeLinear", {"xq", "xs", "xz"}, {"x"});
      OnnxBuilder::integer(b.node("DequantizeLinear", {"w", "ws", "wz"}, {"wf"}), "axis", 0);
      OnnxBuilder::integer(b.node("DequantizeLinear", {"bias", "bs", "bz"}, {"bf"}), "axis", 0);
      b.node("Conv", {"x", "wf", "bf"}, {"y"});
      b.node("QuantizeLinear", {"y", "ys", "yz"}, {"yq"});
    }
    b.output("yq", {1, 2, 2, 2}, type);
    const Graph g = parse(b);
    const auto convs = ops_of(g, "CONV_2D");
    ASSERT_EQ(convs.size(), 1u);
    EXPECT_EQ(ops_of(g, "QUANTIZE").size() + ops_of(g, "DEQUANTIZE").size(), 0u);
    const Tensor& in = g.tensors[static_cast<std::size_t>(convs[0]->inputs[0])];
    const Tensor& w = g.tensors[static_cast<std::size_t>(convs[0]->inputs[1])];
    const Tensor& bias = g.tensors[static_cast<std::size_t>(convs[0]->inputs[2])];
    const Tensor& out = g.tensors[static_cast<std::size_t>(convs[0]->outputs[0])];
    EXPECT_EQ(in.type, qlinear ? DataType::uint8 : DataType::int8);
    EXPECT_EQ(in.quantization.scale, std::vector<float>{0.25f});
    EXPECT_EQ(w.shape, (std::vector<std::int64_t>{2, 3, 3, 1}));
    EXPECT_EQ(w.quantization.scale, (std::vector<float>{0.5f, 0.125f}));
    EXPECT_EQ(w.quantization.axis, 0);
    EXPECT_EQ(bias.type, DataType::int32);
    EXPECT_EQ(bias.quantization.scale, (std::vector<float>{0.125f, 0.03125f}));
    EXPECT_EQ(out.quantization.zero_point, std::vector<std::int64_t>{qlinear ? 120 : -5});
  }
}

TEST(OnnxImport, BadModelsAreOneClearLine) {
  {
    OnnxBuilder b;
    b.input("x", {1, 4});
    b.node("Hardmax", {"x"}, {"y"});
    b.output("y", {1, 4});
    const std::string e = error_of(b);
    EXPECT_NE(e.find("m.onnx: node 0 (Hardmax)"), std::string::npos) << e;
    EXPECT_NE(e.find("not supported"), std::string::npos) << e;
  }
  {
    OnnxBuilder b;
    b.input("x", {1, 4});
    auto* w = b.initializer("w", {4, 4}, {});
    w->set_data_location(onnx::TensorProto_DataLocation_EXTERNAL);
    auto* entry = w->add_external_data();
    entry->set_key("location");
    entry->set_value("weights.bin");
    b.node("MatMul", {"x", "w"}, {"y"});
    b.output("y", {1, 4});
    EXPECT_NE(error_of(b).find("external data"), std::string::npos) << error_of(b);
  }
  for (const std::int64_t opset : {6, 18}) {  // either side of 7-17
    OnnxBuilder b(opset);
    b.input("x", {1, 4});
    b.node("Relu", {"x"}, {"y"});
    b.output("y", {1, 4});
    const std::string expected = "opset " + std::to_string(opset) + " is not supported (opsets 7 to 17)";
    EXPECT_NE(error_of(b).find(expected), std::string::npos) << error_of(b);
  }
  {
    // The target shape of a Reshape comes from a graph input: unknowable before the run.
    OnnxBuilder b;
    b.input("x", {1, 4});
    b.input("shape", {2}, onnx::TensorProto_DataType_INT64);
    b.node("Reshape", {"x", "shape"}, {"y"});
    b.output("y", {-1, -1});
    EXPECT_NE(error_of(b).find("dynamic shape"), std::string::npos) << error_of(b);
  }
  {
    // A 200-byte file may ask for a ConstantOfShape of 2^40 floats: refused, not allocated.
    OnnxBuilder b;
    b.input("x", {1, 4});
    b.int64_initializer("huge", {1 << 20, 1 << 20});
    b.node("ConstantOfShape", {"huge"}, {"c"});
    b.node("Add", {"x", "c"}, {"y"});
    b.output("y", {-1, -1});
    EXPECT_NE(error_of(b).find("would exceed 1073741824 bytes"), std::string::npos) << error_of(b);
  }
  // Inputs that crashed the import (fuzz_onnx): a QLinearConv whose stated output has rank 2 (shape
  // inference leaves it: the inputs are out of order), where the lowering read the spatial sizes
  // past the end; a QDQ Conv of a rank-2 input, where ONNX 1.12's shape inference dereferenced a
  // null pointer.
  for (const auto& [name, expected] : std::vector<std::pair<std::string, std::string>>{
           {"qlinearconv_output_rank2.onnx", "q.onnx: node 0 (QLinearConv): the output's shape is not"},
           {"qdq_conv_input_rank2.onnx", "q.onnx: node 4 (Conv): only 2-D convolutions"}}) {
    const std::string file = std::string(ARENAPLAN_REPO_DIR) + "/fuzz/regressions/fuzz_onnx/" + name;
    std::ifstream in(file, std::ios::binary);
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    ASSERT_FALSE(bytes.empty()) << file;
    try {
      parse_onnx(bytes, "q.onnx");
      ADD_FAILURE() << name << " accepted";
    } catch (const InputError& e) { EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what(); }
  }
  const std::vector<std::uint8_t> garbage = {0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02};
  EXPECT_THROW(parse_onnx(garbage, "g.onnx"), InputError);
}

// Damaged files (flipped bytes, truncations) of real models: a Graph or an InputError, nothing else.
TEST(OnnxImport, MutatedModelsNeverCrash) {
  for (const char* name : {"hello_world_keras2onnx.onnx", "mnist8_modelzoo_cntk.onnx"}) {
    const std::string text = test::slurp(bundled(name));
    const std::vector<std::uint8_t> model(text.begin(), text.end());
    std::mt19937 rng(19);
    int rejected = 0;
    for (int k = 0; k < 300; ++k) {
      std::vector<std::uint8_t> bytes = model;
      if (k % 3 == 0) {
        bytes.resize(std::uniform_int_distribution<std::size_t>(0, bytes.size() - 1)(rng));
      } else {
        for (int f = 0; f < 1 + k % 4; ++f)
          bytes[std::uniform_int_distribution<std::size_t>(0, bytes.size() - 1)(rng)] ^=
              static_cast<std::uint8_t>(1u << (k % 8));
      }
      try {
        const Graph g = parse_onnx(bytes, name);
        (void)plan(g);
      } catch (const InputError& e) {
        ++rejected;
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
      }
    }
    EXPECT_GT(rejected, 100) << name;
  }
}

// A grouped Conv (SPLIT, CONV_2D per group, CONCATENATION) and LRN (the LRN kernel) compile and run
// bit-identically planned and unplanned.
TEST(OnnxImport, GroupedConvAndLrnRun) {
  OnnxBuilder b(9);
  b.input("x", {1, 4, 1, 1});
  b.initializer("w", {4, 2, 1, 1}, {0.5f, -1.0f, 2.0f, 0.25f, 1.5f, -0.5f, 1.0f, 3.0f});
  b.initializer("bias", {4}, {0.1f, -0.2f, 0.3f, -0.4f});
  OnnxBuilder::integer(b.node("Conv", {"x", "w", "bias"}, {"c"}), "group", 2);
  auto* lrn = b.node("LRN", {"c"}, {"y"});
  OnnxBuilder::integer(lrn, "size", 3);
  OnnxBuilder::real(lrn, "alpha", 0.3f);
  b.output("y", {1, 4, 1, 1});
  const Graph g = parse(b);
  EXPECT_EQ(ops_of(g, "SPLIT").size(), 1u);
  EXPECT_EQ(ops_of(g, "CONV_2D").size(), 2u);
  ASSERT_EQ(ops_of(g, "LOCAL_RESPONSE_NORMALIZATION").size(), 1u);
  EXPECT_EQ(ops_of(g, "LOCAL_RESPONSE_NORMALIZATION")[0]->attribute_or("radius", -1), 1);
  const std::string dir = test::fresh_dir("onnx", "lrn");
  {
    const auto bytes = b.bytes();
    std::ofstream(dir + "/lrn.onnx", std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  const auto run = test::run_arenaplan("run " + dir + "/lrn.onnx", dir);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("all outputs bit-identical, guards intact"), std::string::npos) << run.out;
}

TEST(OnnxImport, CommandsTakeOnnxAndRefuseBadOnesWithExitTwo) {
  const std::string dir = test::fresh_dir("onnx", "cli");
  const auto ok = test::run_arenaplan("plan " + bundled("light_squeezenet.onnx") + " --no-timing", dir);
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE(ok.out.find("CONCATENATION 8"), std::string::npos) << ok.out;
  { std::ofstream(dir + "/bad.onnx") << "this is not a protobuf"; }
  const auto bad = test::run_arenaplan("plan " + dir + "/bad.onnx", dir);
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("bad.onnx: not an ONNX model"), std::string::npos) << bad.err;
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
  const auto dims =
      test::run_arenaplan("plan " + bundled("hello_world_keras2onnx.onnx") + " --dim N=8 --no-timing", dir);
  EXPECT_EQ(dims.status, 0) << dims.err;
  const auto one = test::run_arenaplan("plan " + bundled("hello_world_keras2onnx.onnx") + " --no-timing", dir);
  EXPECT_NE(dims.out, one.out);  // eight rows need more bytes
  const auto run = test::run_arenaplan("run " + bundled("hello_world_keras2onnx.onnx"), dir);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("all outputs bit-identical, guards intact"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace arenaplan
