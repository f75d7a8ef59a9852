// The execution check (`arenaplan run`, check_by_execution): generated C built with the host
// compiler, planned pools (poisoned, guarded) against separate buffers, on real models; and
// deliberately broken plans, which it must catch.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "arenaplan/c_emitter.h"
#include "arenaplan/error.h"
#include "arenaplan/execution_check.h"
#include "arenaplan/model_planning.h"
#include "model_test_util.h"
#include "tflite_builder.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;
using test::model;
using test::model_path;
using test::run_arenaplan;

std::string scratch_dir(const std::string& name) { return test::fresh_dir("execution", name); }

// "  <N> operator outputs, ..." in the report (no std::regex: GCC 12 warns inside it under ASan).
std::int64_t outputs_compared(const std::string& report) {
  const auto at = report.find(" operator outputs");
  if (at == std::string::npos) return -1;
  const auto start = report.find_last_not_of("0123456789", at - 1) + 1;
  return std::stoll(report.substr(start, at - start));
}

class BundledModel : public testing::TestWithParam<const char*> {};

// Every bundled model the arenaplan kernels support: 3 input sets x 2 poisons, every operator's
// output identical to the separate-buffer run, guards intact.
TEST_P(BundledModel, RunsBitIdenticalToSeparateBuffers) {
  const std::string dir = scratch_dir(GetParam());
  const auto r = run_arenaplan("run " + model_path(GetParam()), dir);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("all outputs bit-identical, guards intact"), std::string::npos) << r.out;
  // Every output of every operator (SPLIT has several), and every state it updates (SVDF, LSTM),
  // in 3 sets x 2 planned runs.
  const Graph g = model(GetParam());
  std::int64_t outputs = 0;
  for (const Operator& op : g.operators) {
    outputs += static_cast<std::int64_t>(op.outputs.size());
    for (std::int32_t t : op.inputs) outputs += t >= 0 && g.tensors[static_cast<std::size_t>(t)].is_variable ? 1 : 0;
  }
  EXPECT_EQ(outputs_compared(r.out), outputs * 6) << r.out;
}

INSTANTIATE_TEST_SUITE_P(Models, BundledModel,
                         testing::Values("mlperf_tiny_ic_resnet8_int8", "mlperf_tiny_kws_dscnn_int8",
                                         "mlperf_tiny_vww_mobilenetv1_int8", "mlperf_tiny_ad_autoencoder_int8",
                                         "tflm_hello_world_int8", "tflm_micro_speech_int8", "tflm_test_conv_model",
                                         "mlperf_tiny_kws_dscnn_float32_hybrid", "tflm_seanet_pad0_int16",
                                         "tflm_seanet_strided_slice15_int16", "tflm_seanet_leaky_relu0_int16",
                                         "coral_split_concat_uint8", "tflm_seanet_sub0_int16",
                                         "tflm_seanet_transpose_conv4_int16", "tflm_keyword_scrambled",
                                         "tflm_mnist_lstm_int8"));

// The movie review classifier (GATHER of embeddings, MEAN, float32; 643 KB, not bundled).
TEST(RunCheck, MovieReviewRunsWhenTheZooIsPresent) {
  const fs::path file = fs::path(ARENAPLAN_REPO_DIR) / ".." / "shared" / "models" / "zoo" / "tflite" /
                        "tflite_support_movie_review_float32.tflite";
  if (!fs::exists(file)) GTEST_SKIP() << "no " << file;
  const auto r = run_arenaplan("run --random-inputs 1 " + file.string(), scratch_dir("movie_review"));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("all outputs bit-identical, guards intact"), std::string::npos) << r.out;
}

// The shared model collection, when present (CI has it): every model either runs and matches or
// is refused with exit 2 because an operator has no kernel.
TEST(RunCheck, SharedModelsRunOrAreRefusedClearly) {
  const fs::path shared = fs::path(ARENAPLAN_REPO_DIR) / ".." / "shared" / "models" / "tflite";
  if (!fs::is_directory(shared)) GTEST_SKIP() << "no " << shared;
  const std::string dir = scratch_dir("shared");
  int matched = 0;
  for (const auto& entry : fs::directory_iterator(shared)) {
    if (entry.path().extension() != ".tflite") continue;
    const auto r = run_arenaplan("run --random-inputs 1 " + entry.path().string(), dir);
    if (r.status == 2) {
      EXPECT_NE(r.err.find("no arenaplan kernel"), std::string::npos) << entry.path() << r.err;
      continue;
    }
    EXPECT_EQ(r.status, 0) << entry.path() << r.out << r.err;
    matched += r.status == 0;
  }
  EXPECT_GE(matched, 10);
}

// Every bundled model runs now: a custom operator nobody implements stands for the rest.
TEST(RunCheck, OperatorWithoutKernelExits2NamingIt) {
  const std::string dir = scratch_dir("unsupported");
  test::ModelSpec spec;
  spec.tensors = {test::tensor("x", 0, {1, 8}), test::tensor("y", 0, {1, 8})};
  test::OpSpec custom = test::op(32, {0}, {1});  // CUSTOM
  custom.custom = "VendorMagic";
  spec.ops = {custom};
  spec.inputs = {0};
  spec.outputs = {1};
  const auto bytes = test::build_tflite(spec);
  const std::string model = dir + "/custom.tflite";
  std::ofstream(model, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  const auto r = run_arenaplan("run " + model, dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("operator 0 (VendorMagic): no arenaplan kernel"), std::string::npos) << r.err;
}

// An SSD head as coral's video_traffic ends: uint8 box encodings and scores, constant anchors, the
// four outputs stored without a shape; regular and fast NMS. `run` plans the work buffers the
// `arenaplan` profile requests and proves them against separate buffers (poisoned pools, guards).
// The values are compared with TFLite 2.9 in test_generic_oracle.
TEST(RunCheck, DetectionPostprocessRuns) {
  const std::string dir = scratch_dir("detection");
  test::ModelSpec spec;
  const auto u8 = [](std::string name, std::vector<std::int32_t> shape, float scale, std::int64_t zero) {
    test::TensorSpec t = test::tensor(std::move(name), 3, std::move(shape));
    t.scale = {scale};
    t.zero_point = {zero};
    return t;
  };
  spec.tensors = {u8("boxes", {1, 32, 4}, 0.05f, 128), u8("scores", {1, 32, 3}, 1.0f / 256, 0),
                  u8("anchors", {32, 4}, 1.0f / 128, 0)};
  spec.tensors[2].constant = true;
  for (int i = 0; i < 32; ++i)
    for (int v : {(i / 4) * 16 + 8, (i % 4) * 32 + 16, 32, 48})
      spec.tensors[2].data.push_back(static_cast<std::uint8_t>(v));
  for (bool regular : {true, false}) {
    const auto first = static_cast<std::int32_t>(spec.tensors.size());
    for (const char* part : {"boxes", "classes", "scores", "count"})
      spec.tensors.push_back(test::tensor(std::string(regular ? "regular_" : "fast_") + part, 0, {}));
    test::OpSpec op = test::op(32, {0, 1, 2}, {first, first + 1, first + 2, first + 3});
    op.custom = "TFLite_Detection_PostProcess";
    op.custom_options = test::detection_options(regular, 5, regular ? 1 : 2, 3, 2, 0.4f);
    spec.ops.push_back(op);
    for (std::int32_t k = 0; k < 4; ++k) spec.outputs.push_back(first + k);
  }
  spec.inputs = {0, 1};
  const auto bytes = test::build_tflite(spec);
  const std::string model = dir + "/ssd.tflite";
  std::ofstream(model, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  const auto r = run_arenaplan("run " + model + " --random-inputs 2", dir);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("all outputs bit-identical, guards intact"), std::string::npos) << r.out;
}

// A PoseNet head as coral's PoseNet models end: uint8 heatmaps, short- and mid-range offsets of a
// 9 x 12 grid, the four float outputs stored without a shape. On random inputs with threshold
// 0.05 the decoder finds poses; `run` proves the plan of its work buffers (root candidates,
// decoding queue, poses) against separate buffers. The values are compared with libcoral's
// decoder in test_kernels (KernelsPosenet).
TEST(RunCheck, PosenetDecoderRuns) {
  const std::string dir = scratch_dir("posenet");
  test::ModelSpec spec;
  const auto u8 = [](std::string name, std::int32_t channels, float scale, std::int64_t zero) {
    test::TensorSpec t = test::tensor(std::move(name), 3, {1, 9, 12, channels});
    t.scale = {scale};
    t.zero_point = {zero};
    return t;
  };
  spec.tensors = {u8("heatmaps", 17, 0.1f, 180), u8("short_offsets", 34, 0.7f, 134), u8("mid_offsets", 64, 1.5f, 118)};
  for (const char* part : {"poses", "keypoint_scores", "pose_scores", "count"})
    spec.tensors.push_back(test::tensor(part, 0, {}));
  test::OpSpec op = test::op(32, {0, 1, 2}, {3, 4, 5, 6});
  op.custom = "PosenetDecoderOp";
  op.custom_options = test::posenet_options(10, 0.05f, 16, 10.0f);
  spec.ops = {op};
  spec.inputs = {0, 1, 2};
  spec.outputs = {3, 4, 5, 6};
  const auto bytes = test::build_tflite(spec);
  const std::string model = dir + "/posenet.tflite";
  std::ofstream(model, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  const auto r = run_arenaplan("run " + model + " --random-inputs 2 --save-io " + dir + "/io", dir);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("all outputs bit-identical, guards intact"), std::string::npos) << r.out;
  // Poses were found on some set (the count output is a float).
  float most = 0;
  for (int set = 0; set < 3; ++set) {
    std::ifstream count(dir + "/io/set" + std::to_string(set) + "/t6.bin", std::ios::binary);
    float c = 0;
    count.read(reinterpret_cast<char*>(&c), sizeof c);
    most = std::max(most, c);
  }
  EXPECT_GE(most, 1.0f);
}

ModelPlan planned(const std::string& name) {
  LoweringOptions lowering;
  lowering.kernels = "arenaplan";
  return plan_model(model(name), lowering, SolveOptions{});
}

bool live_together(const Buffer& a, const Buffer& b) {
  for (const Interval& x : a.live)
    for (const Interval& y : b.live)
      if (x.first < y.last && y.first < x.last) return true;
  return false;
}

// Two activations live at the same time moved onto the same bytes: the checker would refuse this
// plan; the execution check must catch it on its own, naming the buffers.
TEST(RunCheck, CatchesTwoLiveBuffersOverlapping) {
  const Graph graph = model("mlperf_tiny_ic_resnet8_int8");
  ModelPlan p = planned("mlperf_tiny_ic_resnet8_int8");
  const auto& buffers = p.lowered.problem.buffers;
  bool broken = false;
  for (std::size_t a = 0; a < buffers.size() && !broken; ++a)
    for (std::size_t b = a + 1; b < buffers.size() && !broken; ++b) {
      if (buffers[a].kind != BufferKind::activation || buffers[b].kind != BufferKind::activation) continue;
      if (!live_together(buffers[a], buffers[b]) || p.plan.placements[a].pool != p.plan.placements[b].pool) continue;
      if (buffers[b].size > buffers[a].size) continue;
      p.plan.placements[b].offset = p.plan.placements[a].offset;
      broken = true;
    }
  ASSERT_TRUE(broken);
  ExecutionOptions options = test::execution_options();
  options.random_inputs = 1;
  const ExecutionReport r = check_by_execution(graph, p.lowered, p.plan, options);
  ASSERT_FALSE(r.passed());
  ASSERT_FALSE(r.mismatches.empty());
  bool named = false;
  for (const std::string& b : r.mismatches[0].buffers) named = named || b.find("overlaps") != std::string::npos;
  EXPECT_TRUE(named) << testing::PrintToString(r.mismatches[0].buffers);
}

// A buffer moved so that it runs 16 bytes past the end of its pool: the guard bytes show it.
TEST(RunCheck, CatchesWritesPastThePool) {
  const Graph graph = model("tflm_micro_speech_int8");
  ModelPlan p = planned("tflm_micro_speech_int8");
  const auto& buffers = p.lowered.problem.buffers;
  for (std::size_t i = 0; i < buffers.size(); ++i)
    if (buffers[i].kind == BufferKind::output) {
      const auto pool = static_cast<std::size_t>(p.plan.placements[i].pool);
      p.plan.placements[i].offset = p.plan.pool_sizes[pool] - buffers[i].size + 16;
    }
  ExecutionOptions options = test::execution_options();
  options.random_inputs = 1;
  const ExecutionReport r = check_by_execution(graph, p.lowered, p.plan, options);
  ASSERT_FALSE(r.guard_failures.empty());
  EXPECT_NE(r.guard_failures[0].find("after it overwritten"), std::string::npos) << r.guard_failures[0];
}

// A correct plan from the library passes, and its outputs are the ones the tool saves.
TEST(RunCheck, CorrectPlanPassesAndSavesIo) {
  const Graph graph = model("tflm_hello_world_int8");
  const ModelPlan p = planned("tflm_hello_world_int8");
  ExecutionOptions options = test::execution_options();
  options.save_io_dir = scratch_dir("io");
  const ExecutionReport r = check_by_execution(graph, p.lowered, p.plan, options);
  EXPECT_TRUE(r.passed());
  EXPECT_EQ(r.input_sets, 3);
  ASSERT_EQ(r.outputs.size(), 1u);
  EXPECT_EQ(test::slurp(options.save_io_dir + "/output_0.bin"), std::string(r.outputs[0].begin(), r.outputs[0].end()));
  EXPECT_EQ(fs::file_size(options.save_io_dir + "/input_0.bin"), 1u);
}

// Constants loaded from binary files (the planned code through an external constant pool, the
// separate-buffer code through its own file) give the same outputs as constants compiled in.
TEST(RunCheck, ConstantsFromFilesGiveTheSameOutputs) {
  const Graph graph = model("tflm_micro_speech_int8");
  const ModelPlan p = planned("tflm_micro_speech_int8");
  ExecutionOptions compiled_in;
  compiled_in.random_inputs = 1;
  const ExecutionReport a = check_by_execution(graph, p.lowered, p.plan, compiled_in);
  ExecutionOptions in_files = compiled_in;
  in_files.constants_in_files_above = 0;
  const ExecutionReport b = check_by_execution(graph, p.lowered, p.plan, in_files);
  EXPECT_FALSE(a.constants_in_files);
  EXPECT_TRUE(b.constants_in_files);
  EXPECT_TRUE(a.passed());
  EXPECT_TRUE(b.passed());
  ASSERT_EQ(a.outputs.size(), 1u);
  EXPECT_EQ(a.outputs, b.outputs);
  EXPECT_EQ(a.outputs_compared, b.outputs_compared);
}

// The compiled kernel library is kept between runs: the second run links the cached objects
// and compiles only the model; other compiler flags make another entry, never a stale one.
TEST(RunCheck, KeepsTheCompiledLibraryBetweenRuns) {
  const Graph graph = model("tflm_hello_world_int8");
  const ModelPlan p = planned("tflm_hello_world_int8");
  const std::string cache = scratch_dir("library_cache");
  ExecutionOptions options;
  options.random_inputs = 0;
  options.library_cache_dir = cache;
  const auto entries = [&] {
    int n = 0;
    for (const auto& e : fs::directory_iterator(cache)) n += e.path().filename().string().starts_with("library-");
    return n;
  };
  const ExecutionReport first = check_by_execution(graph, p.lowered, p.plan, options);
  EXPECT_TRUE(first.passed());
  EXPECT_NE(first.compile_command.find(" -c "), std::string::npos);
  EXPECT_EQ(entries(), 1);
  const ExecutionReport second = check_by_execution(graph, p.lowered, p.plan, options);
  EXPECT_TRUE(second.passed());
  EXPECT_EQ(second.compile_command.find(" -c "), std::string::npos) << second.compile_command;
  EXPECT_NE(second.compile_command.find(cache), std::string::npos);
  EXPECT_EQ(second.outputs, first.outputs);
  options.compiler_flags = {"-O1"};
  const ExecutionReport other = check_by_execution(graph, p.lowered, p.plan, options);
  EXPECT_TRUE(other.passed());
  EXPECT_NE(other.compile_command.find(" -c "), std::string::npos);
  EXPECT_EQ(entries(), 2);
}

// A quantization scale no 32-bit fixed-point multiplier can express: an input error naming the
// file and the operator, from compile and from run alike.
TEST(RunCheck, AbsurdQuantizationScaleNamesTheOperator) {
  Graph graph = model("mlperf_tiny_kws_dscnn_int8");
  const ModelPlan p = planned("mlperf_tiny_kws_dscnn_int8");
  graph.tensors[static_cast<std::size_t>(graph.operators[0].outputs[0])].quantization.scale = {1e-30f};
  CEmitOptions emit;
  emit.operators = true;
  try {
    (void)emit_c(graph, p.lowered, p.plan, emit);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "mlperf_tiny_kws_dscnn_int8.tflite: operator 0 (CONV_2D): a ratio of quantization scales"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(check_by_execution(graph, p.lowered, p.plan, test::execution_options()), InputError);
}

}  // namespace
}  // namespace arenaplan
