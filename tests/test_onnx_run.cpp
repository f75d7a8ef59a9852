// `arenaplan run` on the real ONNX models (issue 19): the generated C, planned pools against separate
// buffers, bit for bit. The fast models always; the three with 32-244 MB of weights (40-55 s each
// on an idle 2-core machine, their constants loaded from binary files) and super_resolution (25 MB
// tensors, 30 s) only with ARENAPLAN_HEAVY_TESTS=1.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <fstream>
#include <vector>

#include "arenaplan/onnx.h"
#include "arenaplan/schedule.h"
#include "model_test_util.h"
#include "onnx_builder.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;
using test::OnnxBuilder;

constexpr std::int32_t kInt8 = onnx::TensorProto_DataType_INT8, kUint8 = onnx::TensorProto_DataType_UINT8,
                       kInt32 = onnx::TensorProto_DataType_INT32;

std::string write(const OnnxBuilder& b, const std::string& dir, const std::string& name) {
  const auto bytes = b.bytes();
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return path;
}

std::vector<std::int32_t> ramp(int n, int from, int step, int lo, int hi) {
  std::vector<std::int32_t> out;
  for (int i = 0, v = from; i < n; ++i, v += step) out.push_back(lo + (v - lo) % (hi - lo + 1));
  return out;
}

// Float in and out, quantized inside, as ONNX Runtime's quantizer writes it: QuantizeLinear, then
// DequantizeLinear -> Conv (int8 per-channel weights, int32 bias) -> Relu -> QuantizeLinear, and
// DequantizeLinear -> MatMul (int8 weights) -> QuantizeLinear; or the same with uint8 QLinearConv
// and QLinearMatMul.
OnnxBuilder quantized_model(bool qlinear) {
  const std::int32_t type = qlinear ? kUint8 : kInt8;
  const std::int32_t low = qlinear ? 0 : -127, high = qlinear ? 255 : 127;
  OnnxBuilder b(13);
  b.input("x", {1, 2, 5, 5});
  b.initializer("xs", {}, {1.0f / 64});
  b.typed("xz", type, {}, {qlinear ? 128 : 2});
  b.node("QuantizeLinear", {"x", "xs", "xz"}, {"xq"});
  b.typed("w", type, {3, 2, 3, 3}, ramp(54, low + 5, 37, low, high));
  // uint8: per-tensor weights (TFLite's legacy uint8 scheme); int8: per-channel.
  if (qlinear) {
    b.initializer("ws", {}, {0.004f});
    b.typed("wz", type, {}, {128});
  } else {
    b.initializer("ws", {3}, {0.004f, 0.002f, 0.006f});
    b.typed("wz", type, {3}, {0, 0, 0});
  }
  b.initializer("cs", {}, {1.0f / 32});
  b.typed("cz", type, {}, {qlinear ? 100 : -20});
  b.typed("m", type, {12, 4}, ramp(48, low + 3, 29, low, high));
  b.initializer("ms", {}, {0.01f});
  b.typed("mz", type, {}, {qlinear ? 128 : 0});
  b.initializer("ys", {}, {1.0f / 16});
  b.typed("yz", type, {}, {qlinear ? 120 : -3});
  b.int64_initializer("flat", {1, 12});
  if (qlinear) {
    b.typed("bias", kInt32, {3}, {100, -250, 40});
    OnnxBuilder::ints(b.node("QLinearConv", {"xq", "xs", "xz", "w", "ws", "wz", "cs", "cz", "bias"}, {"cq"}), "pads",
                      {1, 1, 1, 1});
  } else {
    b.typed("bias", kInt32, {3}, {100, -250, 40});
    b.initializer("bs", {3}, {0.004f / 64, 0.002f / 64, 0.006f / 64});
    b.typed("bz", kInt32, {3}, {0, 0, 0});
    b.node("DequantizeLinear", {"xq", "xs", "xz"}, {"xd"});
    OnnxBuilder::integer(b.node("DequantizeLinear", {"w", "ws", "wz"}, {"wd"}), "axis", 0);
    OnnxBuilder::integer(b.node("DequantizeLinear", {"bias", "bs", "bz"}, {"bd"}), "axis", 0);
    OnnxBuilder::ints(b.node("Conv", {"xd", "wd", "bd"}, {"c"}), "pads", {1, 1, 1, 1});
    b.node("Relu", {"c"}, {"r"});
    b.node("QuantizeLinear", {"r", "cs", "cz"}, {"cq"});
  }
  // A 2x2 max pool of stride 2 (quantized values pass through), flattened to 12, then the MatMul.
  auto* pool = b.node("MaxPool", {"cq"}, {"pq"});
  OnnxBuilder::ints(pool, "kernel_shape", {2, 2});
  OnnxBuilder::ints(pool, "strides", {2, 2});
  b.node("Reshape", {"pq", "flat"}, {"fq"});
  if (qlinear) {
    b.node("QLinearMatMul", {"fq", "cs", "cz", "m", "ms", "mz", "ys", "yz"}, {"yq"});
  } else {
    b.node("DequantizeLinear", {"fq", "cs", "cz"}, {"fd"});
    b.node("DequantizeLinear", {"m", "ms", "mz"}, {"md"});
    b.node("MatMul", {"fd", "md"}, {"y"});
    b.node("QuantizeLinear", {"y", "ys", "yz"}, {"yq"});
  }
  b.node("DequantizeLinear", {"yq", "ys", "yz"}, {"out"});
  b.output("out", {1, 4});
  return b;
}

// QDQ int8 and QLinear uint8 models compile and run bit-identically; no float Conv or MatMul is left.
TEST(OnnxRun, QuantizedModelsRunInt8AndUint8) {
  const std::string dir = test::fresh_dir("onnx_run", "quantized");
  for (const bool qlinear : {false, true}) {
    SCOPED_TRACE(qlinear ? "QLinearConv/QLinearMatMul uint8" : "QDQ int8");
    const std::string path = write(quantized_model(qlinear), dir, qlinear ? "qlinear_uint8.onnx" : "qdq_int8.onnx");
    const Graph g = read_model(path);
    int quantized = 0;
    for (const Operator& op : g.operators) {
      if (op.opcode != "CONV_2D" && op.opcode != "FULLY_CONNECTED") continue;
      const DataType t = g.tensors[static_cast<std::size_t>(op.inputs[0])].type;
      EXPECT_EQ(t, qlinear ? DataType::uint8 : DataType::int8) << op.opcode;
      ++quantized;
    }
    EXPECT_EQ(quantized, 2);
    const auto r = test::run_arenaplan("run --random-inputs 1 " + path, dir);
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("all outputs bit-identical, guards intact"), std::string::npos) << r.out;
  }
}

// Two independent MatMul branches of 1,024 floats each: the memory-aware order finishes one branch
// before starting the other (the TFLite twin is in test_schedule.cpp), `plan` reports both peaks
// and `run` proves the chosen order.
TEST(OnnxRun, BranchedOnnxModelIsReordered) {
  OnnxBuilder b(13);
  b.input("x", {1, 64});
  for (const char* branch : {"a", "b"}) {
    const std::string p(branch);
    b.initializer("w1" + p, {64, 1024}, std::vector<float>(64 * 1024, p == "a" ? 0.01f : -0.01f));
    b.initializer("w2" + p, {1024, 16}, std::vector<float>(1024 * 16, 0.02f));
    b.node("MatMul", {"x", "w1" + p}, {"h" + p});
    b.node("MatMul", {"h" + p, "w2" + p}, {"o" + p});
  }
  // File order: both wide MatMuls first, so both 4 KiB tensors are live together.
  auto* nodes = b.proto().mutable_graph()->mutable_node();
  nodes->SwapElements(1, 2);
  b.node("Add", {"oa", "ob"}, {"y"});
  b.output("y", {1, 16});
  const std::string dir = test::fresh_dir("onnx_run", "branched");
  const std::string path = write(b, dir, "branched.onnx");
  LoweringOptions lowering;
  lowering.kernels = "arenaplan";
  const ScheduleResult s = schedule_operators(read_model(path), lowering, ScheduleOptions{});
  ASSERT_TRUE(s.reordered);
  EXPECT_EQ(s.method, "exact");
  EXPECT_LT(s.chosen_peak, s.file_order_peak);
  const auto plan = test::run_arenaplan("plan " + path + " --kernels arenaplan --no-timing", dir);
  ASSERT_EQ(plan.status, 0) << plan.err;
  EXPECT_NE(plan.out.find("memory-aware (exact): peak " + std::to_string(s.file_order_peak) + " bytes in file order, " +
                          std::to_string(s.chosen_peak) + " in the chosen order"),
            std::string::npos)
      << plan.out;
  // The default by kernel profile: plan's (reference, TFLite Micro's kernels) and --compat tflm keep
  // the file order; compile's (arenaplan) reorders.
  for (const char* options : {"", " --compat tflm"}) {
    const auto file = test::run_arenaplan("plan " + path + options + " --no-timing", dir);
    EXPECT_EQ(file.status, 0) << file.err;
    EXPECT_EQ(file.out.find("memory-aware"), std::string::npos) << options << file.out;
  }
  const auto compiled = test::run_arenaplan("compile " + path + " -o " + dir + "/c", dir);
  EXPECT_EQ(compiled.status, 0) << compiled.err;
  EXPECT_NE(compiled.out.find("memory-aware (exact)"), std::string::npos) << compiled.out;
  const auto run = test::run_arenaplan("run --random-inputs 1 " + path, dir);
  ASSERT_EQ(run.status, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("all outputs bit-identical, guards intact"), std::string::npos) << run.out;
}

struct OnnxRunCase {
  const char* path;   // under ../shared/models, or data/models for the bundled ones
  const char* flags;  // fewer input sets where the model's tensors are large
  bool heavy;
};

void PrintTo(const OnnxRunCase& c, std::ostream* os) { *os << c.path; }

class OnnxModelRun : public testing::TestWithParam<OnnxRunCase> {};

TEST_P(OnnxModelRun, RunsBitIdenticalToSeparateBuffers) {
  const OnnxRunCase& c = GetParam();
  const char* heavy = std::getenv("ARENAPLAN_HEAVY_TESTS");
  if (c.heavy && (heavy == nullptr || std::string(heavy) != "1"))
    GTEST_SKIP() << "a minute of compute: set ARENAPLAN_HEAVY_TESTS=1";
  fs::path file = fs::path(ARENAPLAN_REPO_DIR) / "data" / "models" / c.path;
  if (!fs::exists(file)) file = fs::path(ARENAPLAN_REPO_DIR) / ".." / "shared" / "models" / c.path;
  if (!fs::exists(file)) GTEST_SKIP() << "no " << c.path;
  const std::string dir = test::fresh_dir("onnx_run", fs::path(c.path).stem().string());
  const auto r = test::run_arenaplan(std::string("run ") + c.flags + " " + file.string(), dir);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("all outputs bit-identical, guards intact"), std::string::npos) << r.out;
}

INSTANTIATE_TEST_SUITE_P(Models, OnnxModelRun,
                         testing::Values(OnnxRunCase{"mnist8_modelzoo_cntk.onnx", "--random-inputs 1", false},
                                         OnnxRunCase{"light_squeezenet.onnx", "--random-inputs 1", false},
                                         OnnxRunCase{"zoo/onnx/libonnx_super_resolution_10.onnx", "--random-inputs 0",
                                                     true},
                                         OnnxRunCase{"onnx/light_resnet50.onnx", "", true},
                                         OnnxRunCase{"zoo/onnx/onnx_light_bvlc_alexnet.onnx", "", true},
                                         OnnxRunCase{"zoo/onnx/onnx_light_densenet121.onnx", "", true}),
                         [](const testing::TestParamInfo<OnnxRunCase>& param) {
                           std::string name = fs::path(param.param.path).stem().string();
                           for (char& ch : name)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

}  // namespace
}  // namespace arenaplan
