// What `plan` says about overlap per model: the model's whole-tensor bound (without the scratch
// of the overlapping kernels, and that figure beside it when they differ), the overlap-aware
// bound, the arena and TFLite Micro's head; with TFLite Micro's kernels, why the plan stays
// whole-tensor.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "arenaplan/model_planning.h"
#include "cli_runner.h"
#include "model_test_util.h"

namespace arenaplan {
namespace {

constexpr const char* kVww = "mlperf_tiny_vww_mobilenetv1_int8";

TEST(OverlapReport, WholeTensorBoundOfTheModelNotOfTheStagingKernels) {
  LoweringOptions lowering;
  lowering.kernels = "arenaplan";
  const Graph graph = test::model(kVww);
  const ModelPlan with = plan_model(graph, lowering, SolveOptions{});
  const Bytes whole = model_whole_tensor_bound(graph, lowering);
  // The 1x1 convolutions' staging scratch counts in the plan's whole-tensor bound, not the model's.
  ASSERT_LT(whole, with.arena_whole_tensor_bound());
  lowering.overlaps = false;
  EXPECT_EQ(whole, plan_model(graph, lowering, SolveOptions{}).arena_whole_tensor_bound());

  const test::CommandResult r = test::run_cli("plan " + test::model_path(kVww) + " --kernels arenaplan --no-timing");
  ASSERT_EQ(r.status, 0) << r.out;
  const std::string line = fmt::format(
      "memory: whole-tensor lower bound {} bytes ({} with the staging and ring scratch of the overlapping "
      "kernels), overlap-aware lower bound {} bytes, arena {} bytes, TFLite Micro {} bytes",
      whole, with.arena_whole_tensor_bound(), with.arena_lower_bound(), with.arena_bytes(),
      plan_like_tflm(graph, "arenaplan").arena_bytes());
  EXPECT_NE(r.out.find(line), std::string::npos) << r.out;
}

TEST(OverlapReport, TflmKernelsSayWhyThePlanStaysWholeTensor) {
  for (const char* kernels : {"reference", "cmsis-nn"}) {
    const test::CommandResult r =
        test::run_cli(fmt::format("plan {} --kernels {} --no-timing", test::model_path(kVww), kernels));
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find(fmt::format("overlap: none, the plan stays whole-tensor: TFLite Micro's {} kernels assume "
                                     "every output apart from its inputs",
                                     kernels)),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("with the staging and ring scratch"), std::string::npos) << r.out;
  }
}

}  // namespace
}  // namespace arenaplan
