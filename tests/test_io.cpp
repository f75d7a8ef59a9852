#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "test_util.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("arenaplan_io_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& content) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }
  std::string error_of(const std::string& path) {
    std::ostringstream warnings;
    try {
      read_problem(path, warnings);
    } catch (const InputError& e) { return e.what(); }
    return "(no error)";
  }
  fs::path dir_;
};

using ProblemJson = TempDir;
using MiniMallocCsv = TempDir;
using PlanJson = TempDir;

TEST_F(ProblemJson, ReadsTvmCasesAsTheyAre) {
  const Problem p = test::load("tvm/tvm_algo_mobilenet_subgraph.json");
  ASSERT_EQ(p.pools.size(), 2u);
  EXPECT_EQ(p.pools[0].name, "fast_memory");
  EXPECT_EQ(p.pools[0].limit, 200704);
  EXPECT_FALSE(p.pools[1].limit);
  ASSERT_EQ(p.buffers.size(), 5u);
  for (const Buffer& b : p.buffers) EXPECT_EQ(b.pools.size(), 2u);
}

TEST_F(ProblemJson, WarnsAboutAsymmetricConflicts) {
  std::ostringstream warnings;
  read_problem(test::data_path("tvm/tvm_algo_fanout.json"), warnings);
  EXPECT_NE(warnings.str().find("listed on one side only"), std::string::npos) << warnings.str();
  EXPECT_NE(warnings.str().find("listed themselves"), std::string::npos) << warnings.str();
}

TEST_F(ProblemJson, ReadsLiveRangesKindsDefaultPoolsAndFixedOffsets) {
  const std::string path = write("p.json", R"({"buffers": [
    {"name": "w", "size_bytes": 64, "kind": "constant"},
    {"name": "x", "size_bytes": 100, "alignment": 16, "live": [[0, 3], [5, 7]], "kind": "input"},
    {"name": "y", "size_bytes": 50, "live": [[2, 6]], "fixed_offset": 128, "tensor": 4, "operator": 2,
     "some_unknown_field": {"ignored": true}}]})");
  std::ostringstream warnings;
  const Problem p = read_problem(path, warnings);
  ASSERT_EQ(p.pools.size(), 2u);
  EXPECT_EQ(p.pools[0].name, "global_workspace");
  EXPECT_EQ(p.pools[1].kind, PoolKind::constant);
  EXPECT_EQ(p.buffers[0].pools, (std::vector<std::int32_t>{1}));
  EXPECT_EQ(p.buffers[1].pools, (std::vector<std::int32_t>{0}));
  EXPECT_EQ(p.buffers[1].kind, BufferKind::input);
  EXPECT_EQ(p.buffers[1].live, (std::vector<Interval>{{0, 3}, {5, 7}}));
  EXPECT_EQ(p.buffers[2].fixed_offset, 128);
  EXPECT_EQ(p.buffers[2].tensor, 4);
  EXPECT_EQ(p.buffers[2].op, 2);
}

TEST_F(ProblemJson, MalformedFilesGiveOneLineNamingTheFile) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "not valid JSON"},
      {"{", "not valid JSON"},
      {"[1, 2]", "expected an object"},
      {"{}", "missing field \"buffers\""},
      {R"({"buffers": {}})", "expected an array"},
      {R"({"buffers": [{"name": "a"}]})", "missing field \"size_bytes\""},
      {R"({"buffers": [{"name": "a", "size_bytes": "ten"}]})", "expected an integer"},
      {R"({"buffers": [{"name": "a", "size_bytes": 1.5}]})", "expected an integer"},
      {R"({"buffers": [{"name": "a", "size_bytes": 99999999999999999999}]})", "expected an integer"},
      {R"({"buffers": [{"name": "a", "size_bytes": 18446744073709551615}]})", "too large for 64 bits"},
      {R"({"buffers": [{"name": "a", "size_bytes": -3}]})", "size -3"},
      {R"({"buffers": [{"name": "a", "size_bytes": 1, "conflicts": ["zz"]}]})", "unknown buffer 'zz'"},
      {R"({"buffers": [{"name": "a", "size_bytes": 1, "pool_candidates": ["zz"]}]})", "unknown pool 'zz'"},
      {R"({"buffers": [{"name": "a", "size_bytes": 1, "kind": "weird"}]})", "unknown buffer kind 'weird'"},
      {R"({"buffers": [{"name": "a", "size_bytes": 1, "live": [[3]]}]})", "[first, last]"},
      {R"({"buffers": [{"name": "a", "size_bytes": 1, "live": [[5, 2]]}]})", "empty or reversed"},
      {R"({"buffers": [{"name": "a", "size_bytes": 1}, {"name": "a", "size_bytes": 2}]})", "defined twice"},
      {R"({"pools": [{"name": "p", "kind": "flash"}], "buffers": []})", "unknown pool kind 'flash'"},
      {R"({"pools": [{"name": "p"}, {"name": "p"}], "buffers": []})", "defined twice"},
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const std::string path = write("bad" + std::to_string(k) + ".json", cases[k].first);
    const std::string message = error_of(path);
    EXPECT_NE(message.find(path), std::string::npos) << "case " << k << ": " << message;
    EXPECT_NE(message.find(cases[k].second), std::string::npos) << "case " << k << ": " << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST_F(MiniMallocCsv, ReadsTheFormat) {
  const std::string path =
      write("input.12.csv", "id,lower,upper,size\r\n0,0,3,4\n1,3,9,4\n\n2,0,9,4\n3,9,21,4\n4,0,21,4\n");
  std::ostringstream warnings;
  const Problem q = read_problem(path, warnings);
  ASSERT_EQ(q.buffers.size(), 5u);
  EXPECT_EQ(q.buffers[1].name, "1");
  EXPECT_EQ(q.buffers[1].live, (std::vector<Interval>{{3, 9}}));
  EXPECT_EQ(q.buffers[4].size, 4);
  EXPECT_TRUE(q.interval_only());
}

TEST_F(MiniMallocCsv, ReadsAlignmentAndAnyColumnOrder) {
  const std::string path = write("a.csv", "size,id,alignment,upper,lower\n10,x,8,5,0\n");
  std::ostringstream warnings;
  const Problem q = read_problem(path, warnings);
  EXPECT_EQ(q.buffers[0].alignment, 8);
  EXPECT_EQ(q.buffers[0].live, (std::vector<Interval>{{0, 5}}));
}

TEST_F(MiniMallocCsv, MalformedFilesNameTheFileAndLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty file"},
      {"id,lower,upper\n", "must name the columns"},
      {"id,lower,upper,size,color\n", "unknown column 'color'"},
      {"id,lower,upper,size\n0,0,3\n", ":2: expected 4 values"},
      {"id,lower,upper,size\n0,0,3,x\n", ":2: size 'x' is not an integer"},
      {"id,lower,upper,size\n0,0,3,4\n1,5,2,4\n", ":3: buffer '1': upper 2 must be greater than lower 5"},
      {"id,lower,upper,size\n0,0,3,-4\n", "negative size"},
      {"id,lower,upper,size\n0,0,3,99999999999999999999\n", "does not fit in 64 bits"},
      {"id,lower,upper,size\n0,0,3,1\n0,0,3,1\n", "defined twice"},
      {"id,lower,upper,size,alignment\n0,0,3,1,0\n", "alignment 0"},
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const std::string path = write("bad" + std::to_string(k) + ".csv", cases[k].first);
    const std::string message = error_of(path);
    EXPECT_NE(message.find(path), std::string::npos) << "case " << k << ": " << message;
    EXPECT_NE(message.find(cases[k].second), std::string::npos) << "case " << k << ": " << message;
  }
}

TEST_F(ProblemJson, SyntaxErrorsNameTheLineAndColumn) {
  const std::string truncated = write("truncated.json", "{\"buffers\": [\n  {\"name\": \"b\", \"size_");
  EXPECT_EQ(error_of(truncated), truncated + ":2:23: not valid JSON (the file ends too early, is it truncated?)");
  const std::string comma = write("comma.json", "{\"buffers\": [\n {\"name\": \"b\" \"size_bytes\": 2}]}");
  EXPECT_EQ(error_of(comma), comma + ":2:26: not valid JSON (unexpected token ending here)");
  const std::string empty = write("empty.json", " \n");
  EXPECT_EQ(error_of(empty), empty + ":2:1: not valid JSON (the file is empty)");
}

TEST_F(ProblemJson, MissingFileIsAnInputError) {
  EXPECT_NE(error_of((dir_ / "nope.json").string()).find("cannot open"), std::string::npos);
  EXPECT_NE(error_of(dir_.string()).find("is a directory"), std::string::npos);
}

TEST_F(PlanJson, RoundTripsAndIsCheckedByName) {
  const Problem p = test::load("tvm/tvm_algo_resnet_subgraph.json");
  const Plan plan = test::run(p, "greedy_by_size");
  std::ostringstream out;
  write_plan_json(p, plan, out);
  const std::string path = write("plan.json", out.str());
  std::optional<std::string> mismatch;
  const Plan back = read_plan_json(path, p, mismatch);
  EXPECT_FALSE(mismatch);
  ASSERT_EQ(back.placements.size(), plan.placements.size());
  for (std::size_t i = 0; i < plan.placements.size(); ++i) {
    EXPECT_EQ(back.placements[i].pool, plan.placements[i].pool);
    EXPECT_EQ(back.placements[i].offset, plan.placements[i].offset);
  }
  EXPECT_EQ(back.pool_sizes, plan.pool_sizes);
  EXPECT_EQ(check_plan(p, back), std::nullopt);

  const auto json = nlohmann::json::parse(out.str());
  for (const char* key : {"algorithm", "optimal", "lower_bound_bytes", "pools", "buffers", "solve_seconds"})
    EXPECT_TRUE(json.contains(key)) << key;
  for (const char* key : {"name", "pool", "offset", "size_bytes", "alignment", "kind", "live"})
    EXPECT_TRUE(json["buffers"][0].contains(key)) << key;
  for (const char* key : {"name", "kind", "size_bytes", "limit_bytes"})
    EXPECT_TRUE(json["pools"][0].contains(key)) << key;
}

TEST_F(PlanJson, ReportsPlansThatDoNotMatchTheProblem) {
  const Problem p = test::load("tvm/tvm_convert_merge_allocations.json");
  std::optional<std::string> mismatch;
  read_plan_json(write("x.json", R"({"buffers": [{"name": "B", "pool": "global_workspace", "offset": 0},
                                                 {"name": "B", "pool": "global_workspace", "offset": 0}]})"),
                 p, mismatch);
  ASSERT_TRUE(mismatch);
  EXPECT_NE(mismatch->find("more than once"), std::string::npos);
  mismatch.reset();
  read_plan_json(write("y.json", R"({"buffers": [{"name": "Q", "pool": "global_workspace", "offset": 0}]})"), p,
                 mismatch);
  ASSERT_TRUE(mismatch);
  EXPECT_NE(mismatch->find("does not have"), std::string::npos);
}

TEST_F(PlanJson, AtomicWriteLeavesNoTemporaryFiles) {
  const std::string path = (dir_ / "out.json").string();
  write_file_atomically(path, "hello");
  write_file_atomically(path, "world");
  std::ifstream in(path);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "world");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator{}), 1);
  EXPECT_THROW(write_file_atomically((dir_ / "no/such/dir/x").string(), "x"), InputError);
}

}  // namespace
}  // namespace arenaplan
