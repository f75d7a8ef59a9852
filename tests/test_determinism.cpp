// The same command twice, one after the other and two at once, gives the same bytes: solve on the
// TVM cases, plan and compile on the bundled models (compile: every file of the directory); and
// the identical command started twice at the same moment, writing the same output files, leaves
// the bytes of one run alone (no temporary of one run clobbers or survives the other).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <thread>

#include "cli_runner.h"
#include "map_test_util.h"

namespace arenaplan::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> files_in(const std::string& dir, const std::string& extension) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == extension) out.push_back(entry.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Three runs of `make_args(k)`: the first alone, then two at the same time.
template <typename MakeArgs>
std::array<CommandResult, 3> three_runs(MakeArgs make_args) {
  std::array<CommandResult, 3> r;
  r[0] = run_cli(make_args(0));
  std::thread other([&] { r[2] = run_cli(make_args(2)); });
  r[1] = run_cli(make_args(1));
  other.join();
  return r;
}

// Every file of a directory, by name.
std::map<std::string, std::string> contents(const std::string& dir) {
  std::map<std::string, std::string> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& entry : fs::directory_iterator(dir)) out[entry.path().filename().string()] = slurp(entry.path());
  return out;
}

TEST(Determinism, SolveOnTheTvmCases) {
  const auto cases = files_in(std::string(ARENAPLAN_TEST_DATA) + "/tvm", ".json");
  ASSERT_GE(cases.size(), 10u);
  for (const std::string& path : cases) {
    const auto r = three_runs(
        [&](int) { return "solve " + path + " --no-timing --format json --work-limit 2000000 --time-limit 120"; });
    for (int k = 1; k < 3; ++k) {
      EXPECT_EQ(r[k].status, r[0].status) << path;
      EXPECT_EQ(r[k].out, r[0].out) << path << " run " << k;
    }
  }
}

TEST(Determinism, PlanAndCompileOnTheBundledModels) {
  const auto models = files_in(std::string(ARENAPLAN_REPO_DIR) + "/data/models", ".tflite");
  ASSERT_GE(models.size(), 8u);
  const TempDir dir;
  for (const std::string& model : models) {
    const auto plans = three_runs([&](int) { return "plan " + model + " --no-timing --format json --time-limit 1"; });
    for (int k = 1; k < 3; ++k) {
      EXPECT_EQ(plans[k].status, plans[0].status) << model;
      EXPECT_EQ(plans[k].out, plans[0].out) << model << " run " << k;
    }
    const std::string stem = fs::path(model).stem().string();
    auto out_dir = [&](int k) { return dir.file(stem + "_" + std::to_string(k)); };
    const auto compiles = three_runs([&](int k) { return "compile " + model + " -q --time-limit 1 -o " + out_dir(k); });
    const auto first = contents(out_dir(0));
    EXPECT_EQ(first.empty(), compiles[0].status != 0) << model << ": " << compiles[0].out;
    for (int k = 1; k < 3; ++k) {
      EXPECT_EQ(compiles[k].status, compiles[0].status) << model;
      EXPECT_EQ(compiles[k].out, compiles[0].out) << model;
      EXPECT_TRUE(contents(out_dir(k)) == first) << model << " run " << k;
    }
  }
}

// Every regular file under `dir`, by path relative to it (hidden ones too: leftovers count).
std::map<std::string, std::string> tree(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) out[fs::relative(entry.path(), dir).string()] = slurp(entry.path());
  return out;
}

TEST(Determinism, TwoAtOnceIntoTheSameOutputs) {
  const TempDir dir;
  const std::string tvm = files_in(std::string(ARENAPLAN_TEST_DATA) + "/tvm", ".json").front();
  const std::string csv = std::string(ARENAPLAN_TEST_DATA) + "/exact/minimalloc_input.12.csv";
  const std::string model = std::string(ARENAPLAN_REPO_DIR) + "/data/models/mlperf_tiny_kws_dscnn_int8.tflite";
  const auto out = [&](const std::string& name) { return dir.file(name); };
  const std::vector<std::string> commands{
      "solve " + tvm + " --no-timing -o " + out("tvm.json") + " --map " + out("tvm.svg"),
      "solve " + csv + " --no-timing --format json -o " + out("csv.json"),
      "plan " + model + " --no-timing -o " + out("plan.json") + " --tflm-offline-plan " + out("planned.tflite"),
      "plan " + model + " --pool dtcm:size=8K --pool sram --no-timing -o " + out("pools.json"),
      "compile " + model + " -q -o " + out("c"),
  };
  for (const std::string& command : commands) {
    const CommandResult alone = run_cli(command);
    ASSERT_EQ(alone.status, 0) << command << ": " << alone.out;
    const auto expected = tree(dir.path());
    ASSERT_FALSE(expected.empty()) << command;
    for (const auto& entry : fs::directory_iterator(dir.path())) fs::remove_all(entry.path());
    CommandResult second;
    std::thread other([&] { second = run_cli(command); });
    const CommandResult first = run_cli(command);
    other.join();
    EXPECT_EQ(first.status, 0) << command << ": " << first.out;
    EXPECT_EQ(second.status, 0) << command << ": " << second.out;
    EXPECT_EQ(first.out, alone.out) << command;
    EXPECT_EQ(second.out, alone.out) << command;
    EXPECT_TRUE(tree(dir.path()) == expected) << command;
    if (command.starts_with("solve " + tvm)) {  // check reads what both wrote, twice at once too
      const std::string check = "check " + tvm + " " + out("tvm.json");
      CommandResult again;
      std::thread checker([&] { again = run_cli(check); });
      const CommandResult once = run_cli(check);
      checker.join();
      EXPECT_EQ(once.status, 0) << once.out;
      EXPECT_EQ(again.status, once.status);
      EXPECT_EQ(again.out, once.out);
    }
    for (const auto& entry : fs::directory_iterator(dir.path())) fs::remove_all(entry.path());
  }
}

}  // namespace
}  // namespace arenaplan::test
