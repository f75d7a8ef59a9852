// The same command twice, one after the other and two at once, gives the same bytes: solve on the
// TVM cases, plan and compile on the bundled models (compile: every file of the directory).
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
    const auto r = three_runs([&](int) { return "solve " + path + " --no-timing --format json --time-limit 1"; });
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

}  // namespace
}  // namespace arenaplan::test
