// The generated code against an independent implementation of TFLite's operators: Arm NN 20.08's
// CpuRef backend (tools/armnn_reference/armnn_run), on the same inputs. Arm NN computes int8
// operators through float and requantises, TFLite (and our kernels) in fixed point, so outputs
// may differ by a few quantisation steps (tools/armnn_reference/README.md measures this); the
// bounds below are those measured, far below what a wrong layout, zero point, per-channel scale
// or padding produces (tens to hundreds of steps).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "model_test_util.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;

struct Case {
  const char* model;
  int max_steps;  // largest |ours - Arm NN| allowed on any output, in quantisation steps
};

class ArmNnReference : public testing::TestWithParam<Case> {};

TEST_P(ArmNnReference, OutputsAgreeWithinMeasuredBound) {
#ifndef ARENAPLAN_ARMNN_RUN
  GTEST_SKIP() << "Arm NN is not installed (scripts/setup installs libarmnn-dev)";
#else
  const Case c = GetParam();
  const fs::path dir = fs::temp_directory_path() / (std::string("arenaplan-test-reference-") + c.model);
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto r = test::run_arenaplan(
      "run --random-inputs 2 --save-io " + dir.string() + " " + test::model_path(c.model), dir.string());
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  int compared = 0, equal = 0, worst = 0;
  for (int set = 0; set < 3; ++set) {
    const std::string input = (dir / ("input_" + std::to_string(set) + ".bin")).string();
    const std::string theirs = (dir / ("armnn_" + std::to_string(set) + ".bin")).string();
    const std::string command = std::string(ARENAPLAN_ARMNN_RUN) + " " + test::model_path(c.model) + " " + input + " " +
                                theirs + " 2>" + (dir / "armnn.err").string();
    ASSERT_EQ(std::system(command.c_str()), 0) << test::slurp((dir / "armnn.err").string());
    const std::string a = test::slurp((dir / ("output_" + std::to_string(set) + ".bin")).string());
    const std::string b = test::slurp(theirs);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      const int d =
          std::abs(static_cast<int>(static_cast<signed char>(a[i])) - static_cast<int>(static_cast<signed char>(b[i])));
      worst = std::max(worst, d);
      equal += d == 0;
      ++compared;
    }
  }
  EXPECT_LE(worst, c.max_steps) << c.model;
  // Where there are many outputs, most must agree exactly (a systematic off-by-one would not).
  if (compared >= 100) {
    EXPECT_GE(equal * 2, compared) << c.model << ": " << equal << " of " << compared << " outputs equal";
  }
  fs::remove_all(dir);
#endif
}

// int8 models only (the float ones are compared by tools/compare_references.py).
INSTANTIATE_TEST_SUITE_P(Models, ArmNnReference,
                         testing::Values(Case{"mlperf_tiny_ic_resnet8_int8", 8}, Case{"mlperf_tiny_kws_dscnn_int8", 8},
                                         Case{"mlperf_tiny_vww_mobilenetv1_int8", 2},
                                         Case{"mlperf_tiny_ad_autoencoder_int8", 2}, Case{"tflm_hello_world_int8", 1},
                                         Case{"tflm_micro_speech_int8", 1}),
                         [](const testing::TestParamInfo<Case>& p) { return std::string(p.param.model); });

}  // namespace
}  // namespace arenaplan
