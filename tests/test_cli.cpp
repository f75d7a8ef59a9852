#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli_runner.h"
#include "scratch_dir.h"
#include "test_util.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;
using test::run_cli;

using Cli = test::ScratchDirTest;

TEST_F(Cli, SolvePrintsTheReport) {
  const auto r = run_cli("solve " + test::data_path("tvm/tvm_algo_resnet_subgraph.json"));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("global_workspace"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("total 7200256 bytes, lower bound 7200256 bytes, ratio 1.0000, optimal (proven)"),
            std::string::npos)
      << r.out;
}

TEST_F(Cli, SolveWritesAPlanThatCheckAccepts) {
  const std::string problem = test::data_path("tvm/tvm_algo_mobilenet_subgraph.json");
  const auto r = run_cli("solve " + problem + " --algorithm hill_climb -o " + path("plan.json"));
  ASSERT_EQ(r.status, 0) << r.out;
  const auto c = run_cli("check " + problem + " " + path("plan.json"));
  EXPECT_EQ(c.status, 0) << c.out;
  EXPECT_NE(c.out.find("valid plan"), std::string::npos) << c.out;
}

TEST_F(Cli, CheckReportsTheFirstViolationWithStatus1) {
  const std::string problem = file("p.csv", "id,lower,upper,size\na,0,5,10\nb,3,8,10\n");
  const std::string plan = file("plan.json", R"({"buffers": [{"name": "a", "pool": "workspace", "offset": 0},
                                                              {"name": "b", "pool": "workspace", "offset": 5}]})");
  const auto c = run_cli("check " + problem + " " + plan);
  EXPECT_EQ(c.status, 1) << c.out;
  EXPECT_NE(c.out.find("'a' [0, 10) and 'b' [5, 15) overlap"), std::string::npos) << c.out;
}

TEST_F(Cli, JsonFormatIsThePlanAndIsDeterministic) {
  const std::string problem = test::data_path("tvm/tvm_hill_climb_bounded_150.json");
  const auto a = run_cli("solve " + problem + " --format json --no-timing");
  const auto b = run_cli("solve " + problem + " --format json --no-timing");
  ASSERT_EQ(a.status, 0) << a.out;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out.find("\"lower_bound_bytes\""), std::string::npos);
  EXPECT_NE(a.out.find("\"solve_seconds\": 0.0"), std::string::npos);
}

TEST_F(Cli, CapacityTooSmallIsStatus1WithTheShortfall) {
  const std::string problem = file("p.csv", "id,lower,upper,size\na,0,5,600\nb,3,8,500\n");
  const auto r = run_cli("solve " + problem + " --capacity 1K -o " + path("out.json"));
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("no solution"), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.find("76 bytes short") != std::string::npos ||
              r.out.find("76 more than the limit") != std::string::npos)
      << r.out;
  EXPECT_FALSE(fs::exists(path("out.json")));  // no output file on failure
  const auto ok = run_cli("solve " + problem + " --capacity 1100");
  EXPECT_EQ(ok.status, 0) << ok.out;
}

TEST_F(Cli, BadInputIsOneLineAndStatus2) {
  const std::vector<std::string> args = {
      "solve " + file("bad.json", "{\"buffers\": [{\"name\": 1}]}"),
      "solve " + file("bad.csv", "id,lower,upper,size\n0,0,zz,1\n"),
      "solve " + path("missing.json"),
      "solve " + file("ok.csv", "id,lower,upper,size\n0,0,1,1\n") + " --capacity lots",
      "solve " + file("ok2.csv", "id,lower,upper,size\n0,0,1,1\n") + " --algorithm nope",
      "solve " + file("ok3.csv", "id,lower,upper,size\n0,0,1,1\n") + " --format xml",
      "frobnicate",
      "",
  };
  for (const std::string& a : args) {
    const auto r = run_cli(a);
    EXPECT_EQ(r.status, 2) << a << "\n" << r.out;
    EXPECT_EQ(r.out.find("internal error"), std::string::npos) << r.out;
  }
  const auto r = run_cli("solve " + path("missing.json"));
  EXPECT_EQ(r.out, "arenaplan: " + path("missing.json") + ": cannot open: No such file or directory\n");
}

TEST_F(Cli, LimitsNameThemselvesAndTheFlagThatRaisesThem) {
  const std::string csv = file("p.csv", "id,lower,upper,size\na,0,5,10\nb,3,8,10\nc,1,2,3\n");
  auto r = run_cli("solve " + csv + " --max-buffers 2");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("p.csv:4: more than 2 buffers, the limit (raise it with --max-buffers)"), std::string::npos)
      << r.out;
  EXPECT_EQ(run_cli("--max-buffers 3 solve " + csv).status, 0);
  r = run_cli("solve " + csv + " --max-file-size 10");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("--max-file-size"), std::string::npos) << r.out;
  r = run_cli("solve " + csv + " --max-steps 4");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("--max-steps"), std::string::npos) << r.out;
  r = run_cli("solve " + csv + " --max-total-size 20");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("--max-total-size"), std::string::npos) << r.out;
  const std::string deep = file("deep.json", R"({"buffers": [{"name": "a", "size_bytes": 1, "x": [[[[[[1]]]]]]}]})");
  EXPECT_EQ(run_cli("solve " + deep).status, 0);
  r = run_cli("solve " + deep + " --max-nesting 4");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("nested deeper than the limit of 4 levels (raise it with --max-nesting)"), std::string::npos)
      << r.out;
}

TEST_F(Cli, AsymmetricConflictsAreReportedOnStderr) {
  const auto r = run_cli("solve " + test::data_path("tvm/tvm_algo_fanout.json"));
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("warning"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("210"), std::string::npos) << r.out;
}

TEST_F(Cli, CompileDrawsTheMapToo) {
  const std::string model = std::string(ARENAPLAN_REPO_DIR) + "/data/models/tflm_hello_world_int8.tflite";
  const auto r = run_cli("compile " + model + " -o " + path("out") + " --map " + path("map.svg"));
  ASSERT_EQ(r.status, 0) << r.out;
  std::ifstream in(path("map.svg"));
  const std::string svg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("FULLY_CONNECTED"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir_ / "out"));
}

TEST_F(Cli, ListsAlgorithms) {
  const auto r = run_cli("algorithms");
  EXPECT_EQ(r.status, 0);
  for (const char* name : {"auto", "greedy_by_size", "hill_climb", "best_fit_by_size", "local_search"})
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
}

TEST_F(Cli, UnknownOptionNamesTheClosestOne) {
  const auto r = run_cli("solve " + test::data_path("tvm/tvm_algo_linear.json") + " --fromat json");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("arenaplan solve: unknown option '--fromat' (did you mean '--format'?"), std::string::npos)
      << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  const auto far = run_cli("solve " + test::data_path("tvm/tvm_algo_linear.json") + " --zzzzzzzzzz=3");
  EXPECT_EQ(far.status, 2) << far.out;
  EXPECT_NE(far.out.find("unknown option '--zzzzzzzzzz' (see arenaplan solve --help)"), std::string::npos) << far.out;
}

}  // namespace
}  // namespace arenaplan
