// `arenaplan plan`: reports, plan JSON with tensor/operator fields, and bad files (exit 2, one
// line naming the file).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "model_test_util.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;

class PlanCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("arenaplan_plan_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  test::CliResult run(const std::string& args) { return test::run_arenaplan(args, dir_.string()); }

  std::string write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  void expect_bad_file(const std::string& path, const std::string& problem) {
    const test::CliResult r = run("plan " + path);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(r.err.rfind("arenaplan: " + path + ": ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(problem), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(r.out.empty());
  }

  fs::path dir_;
};

TEST_F(PlanCommand, TextReport) {
  const test::CliResult r = run("plan " + test::model_path("mlperf_tiny_vww_mobilenetv1_int8") + " --no-timing");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("31 operators"), std::string::npos);
  EXPECT_NE(r.out.find("arena 55296 bytes, lower bound 55296 bytes, ratio 1.000 (optimal)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("TFLite Micro (GreedyMemoryPlanner, its lifetimes, 16-byte rounding): head 73728 bytes"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("peak at step"), std::string::npos);
  EXPECT_NE(r.out.find("live bytes per step"), std::string::npos);
  // Deterministic without timings.
  EXPECT_EQ(run("plan " + test::model_path("mlperf_tiny_vww_mobilenetv1_int8") + " --no-timing").out, r.out);
}

TEST_F(PlanCommand, CompatTflmJsonCarriesTensorAndOperator) {
  const std::string out = (dir_ / "plan.json").string();
  const test::CliResult r =
      run("plan " + test::model_path("tflm_keyword_scrambled") + " --compat tflm --format json -o " + out);
  ASSERT_EQ(r.status, 0) << r.err;
  // The plan is in the file; stdout has its summary, not the plan again.
  const auto json = nlohmann::json::parse(test::slurp(out));
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["plan_file"], out);
  EXPECT_EQ(summary["buffer_count"], json["buffers"].size());
  EXPECT_FALSE(summary.contains("buffers"));
  auto without_buffers = json;
  without_buffers.erase("buffers");
  EXPECT_EQ(summary.size(), without_buffers.size() + 2);
  for (const auto& [key, value] : without_buffers.items()) EXPECT_EQ(summary[key], value) << key;
  EXPECT_EQ(json["algorithm"], "tflm");
  EXPECT_EQ(json["pools"][0]["name"], "arena");
  EXPECT_EQ(json["pools"][0]["size_bytes"], 672);
  int scratch = 0;
  for (const auto& b : json["buffers"]) {
    if (b["kind"] == "scratch") {
      ++scratch;
      EXPECT_TRUE(b.contains("operator"));
    } else
      EXPECT_TRUE(b.contains("tensor"));
  }
  EXPECT_EQ(scratch, 14);
  // Without -o, stdout has the plan itself.
  const test::CliResult alone =
      run("plan " + test::model_path("tflm_keyword_scrambled") + " --compat tflm --format json");
  EXPECT_EQ(nlohmann::json::parse(alone.out)["buffers"].size(), json["buffers"].size());
}

TEST_F(PlanCommand, PlanPassesTheIndependentCheck) {
  const std::string out = (dir_ / "plan.json").string();
  ASSERT_EQ(
      run("plan " + test::model_path("tflm_test_conv_model") + " --kernels cmsis-nn --format json -o " + out).status,
      0);
  EXPECT_NE(test::slurp(out).find("\"operator\""), std::string::npos);
}

TEST_F(PlanCommand, TruncatedFile) {
  const std::string model = test::slurp(test::model_path("tflm_test_conv_model"));
  expect_bad_file(write("cut.tflite", model.substr(0, model.size() / 2)), "corrupt TFLite flatbuffer");
}

TEST_F(PlanCommand, BitFlippedFile) {
  std::string model = test::slurp(test::model_path("tflm_test_conv_model"));
  model[0] = static_cast<char>(model[0] ^ 0x40);  // root offset now points outside the file
  expect_bad_file(write("flipped.tflite", model), "corrupt TFLite flatbuffer");
  model = test::slurp(test::model_path("tflm_test_conv_model"));
  model[5] = static_cast<char>(model[5] ^ 0x01);  // "TFL3" identifier
  expect_bad_file(write("ident.tflite", model), "not a TFLite model");
}

TEST_F(PlanCommand, NotAFlatbuffer) {
  expect_bad_file(write("text.tflite", "{\"buffers\": []}\nnot a model at all\n"), "not a TFLite model");
  expect_bad_file(write("empty.tflite", ""), "not a TFLite model");
  const test::CliResult r = run("plan " + (dir_ / "missing.tflite").string());
  EXPECT_EQ(r.status, 2);
}

TEST_F(PlanCommand, BadOptionCombination) {
  const test::CliResult r =
      run("plan " + test::model_path("tflm_hello_world_int8") + " --compat tflm --io-outside-arena");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("cannot be combined"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace arenaplan
