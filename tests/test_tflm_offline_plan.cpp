// Offline plans for the stock TFLite Micro interpreter (--tflm-offline-plan): the metadata round
// trips, covers exactly the tensors TFLite Micro plans, is aligned, re-checks with TFLite Micro's
// lifetimes, and never makes TFLite Micro's head larger.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "arenaplan/lowering.h"
#include "arenaplan/tflm_offline_plan.h"
#include "model_test_util.h"
#include "test_util.h"

namespace arenaplan {
namespace {

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// A fresh scratch directory for the command-line test, removed at the end.
struct ScratchDir {
  std::string path =
      (std::filesystem::temp_directory_path() / ("arenaplan-offline-" + std::to_string(::getpid()))).string();
  ScratchDir() {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return path + "/" + name; }
};

SolveOptions quick() {
  SolveOptions o;
  o.time_limit_seconds = 1;
  return o;
}

TEST(TflmOfflinePlan, VwwHeadDropsFromTflmsOwnToArenaplans) {
  const Graph graph = test::model("mlperf_tiny_vww_mobilenetv1_int8");
  const TflmOfflinePlan plan = plan_tflm_offline(graph, "reference", quick());
  EXPECT_EQ(plan.tflm_head, 73728);
  EXPECT_EQ(plan.offline_head, 55296);
  EXPECT_NE(plan.source.find("arenaplan"), std::string::npos) << plan.source;
}

// For every bundled model: the offsets are exactly TFLite Micro's planned tensors, 16-byte aligned,
// free of overlaps between tensors live at once under TFLite Micro's lifetimes (checked by the
// independent checker with scratch re-placed the way TFLite Micro places it), and no worse.
TEST(TflmOfflinePlan, CoversAlignsAndRechecksOnEveryBundledModel) {
  for (const auto& entry : std::filesystem::directory_iterator(std::string(ARENAPLAN_REPO_DIR) + "/data/models")) {
    if (entry.path().extension() != ".tflite") continue;
    SCOPED_TRACE(entry.path().string());
    const Graph graph = read_tflite(entry.path().string());
    const TflmOfflinePlan plan = plan_tflm_offline(graph, "reference", quick());
    EXPECT_LE(plan.offline_head, plan.tflm_head);
    ASSERT_EQ(plan.offsets.size(), graph.tensors.size());

    LoweringOptions options;
    options.tflm_compat = true;
    options.tflm_inplace_reshape = true;  // a RESHAPE output shares its input's offset
    const LoweredModel lowered = lower_graph(graph, options);
    Problem fixed = lowered.problem;
    for (std::size_t t = 0; t < graph.tensors.size(); ++t) {
      const std::int32_t buffer = lowered.tensor_buffer[t];
      const bool planned_by_tflm = buffer >= 0 && lowered.problem.buffers[buffer].pools.front() == lowered.arena_pool;
      if (plan.source == "none") {
        EXPECT_EQ(plan.offsets[t], -1);
        continue;
      }
      EXPECT_EQ(plan.offsets[t] >= 0, planned_by_tflm) << "tensor " << t;
      if (plan.offsets[t] < 0) continue;
      EXPECT_EQ(plan.offsets[t] % 16, 0) << "tensor " << t;
      fixed.buffers[buffer].fixed_offset = plan.offsets[t];
    }
    // Tensors only, at their offsets: the checker sees no two live at once on the same bytes.
    Problem tensors_only;
    tensors_only.pools = fixed.pools;
    Plan placed;
    for (std::size_t b = 0; b < fixed.buffers.size(); ++b) {
      if (!fixed.buffers[b].fixed_offset) continue;
      Buffer copy = fixed.buffers[b];
      copy.conflicts.clear();
      tensors_only.buffers.push_back(copy);
      placed.placements.push_back({copy.pools.front(), *copy.fixed_offset});
    }
    normalise(tensors_only, "test");
    compute_pool_sizes(tensors_only, placed);
    EXPECT_EQ(check_plan(tensors_only, placed), std::nullopt);
    // With TFLite Micro placing its scratch around them, the head is what the plan reports.
    SolveOptions tflm;
    tflm.algorithm = "tflm";
    const Plan simulated = solve(fixed, tflm);
    EXPECT_EQ(simulated.pool_sizes.at(lowered.arena_pool), plan.offline_head);
  }
}

TEST(TflmOfflinePlan, MetadataRoundTripsAndReplacesAnEarlierPlan) {
  const std::string model = test::slurp(test::model_path("mlperf_tiny_kws_dscnn_int8"));
  const Graph graph = parse_tflite(bytes_of(model), "kws");
  EXPECT_EQ(read_tflm_offline_plan(bytes_of(model), "kws"), std::nullopt);
  std::vector<std::int32_t> offsets(graph.tensors.size(), -1);
  offsets[0] = 4096;
  const std::string first = add_tflm_offline_plan(bytes_of(model), "kws", offsets);
  EXPECT_EQ(read_tflm_offline_plan(bytes_of(first), "kws"), offsets);
  offsets[0] = 32;
  offsets[1] = 0;
  const std::string second = add_tflm_offline_plan(bytes_of(first), "kws", offsets);
  EXPECT_EQ(read_tflm_offline_plan(bytes_of(second), "kws"), offsets);
  EXPECT_EQ(second.size(), first.size());  // the entry was replaced, not added again

  // Everything else is the same model: tensors, operators and every constant's bytes.
  const Graph again = parse_tflite(bytes_of(second), "kws with plan");
  ASSERT_EQ(again.tensors.size(), graph.tensors.size());
  ASSERT_EQ(again.operators.size(), graph.operators.size());
  for (std::size_t t = 0; t < graph.tensors.size(); ++t) {
    EXPECT_EQ(again.tensors[t].name, graph.tensors[t].name);
    EXPECT_EQ(again.tensors[t].shape, graph.tensors[t].shape);
    EXPECT_EQ(again.tensors[t].quantization.scale, graph.tensors[t].quantization.scale);
  }
  for (std::size_t o = 0; o < graph.operators.size(); ++o) {
    EXPECT_EQ(again.operators[o].opcode, graph.operators[o].opcode);
    EXPECT_EQ(again.operators[o].inputs, graph.operators[o].inputs);
    EXPECT_EQ(again.operators[o].attributes, graph.operators[o].attributes);
  }
  EXPECT_EQ(again.constant_data, graph.constant_data);

  offsets.pop_back();
  EXPECT_THROW(add_tflm_offline_plan(bytes_of(model), "kws", offsets), InputError);
}

TEST(TflmOfflinePlan, CommandLineWritesTheModelAndReportsBothHeads) {
  const ScratchDir dir;
  const std::string out = dir.file("vww_offline.tflite");
  const auto r = test::run_arenaplan(
      "plan " + test::model_path("mlperf_tiny_vww_mobilenetv1_int8") + " --tflm-offline-plan " + out, dir.path);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("TFLite Micro's head 73728 bytes without it, 55296 with it"), std::string::npos) << r.out;
  const std::string written = test::slurp(out);
  const auto offsets = read_tflm_offline_plan(bytes_of(written), out);
  ASSERT_TRUE(offsets.has_value());
  EXPECT_EQ(offsets->size(), read_tflite(out).tensors.size());

  const auto wrong = test::run_arenaplan("plan " + test::model_path("mlperf_tiny_vww_mobilenetv1_int8") +
                                             " --kernels arenaplan --tflm-offline-plan " + dir.file("x.tflite"),
                                         dir.path);
  EXPECT_EQ(wrong.status, 2);
  EXPECT_NE(wrong.err.find("TFLite Micro's own kernels"), std::string::npos) << wrong.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("x.tflite")));
}

}  // namespace
}  // namespace arenaplan
