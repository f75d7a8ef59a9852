// arenaplan diff: plan files read on their own, and two plans of one problem compared.
#include <gtest/gtest.h>

#include <sstream>

#include "arenaplan/io.h"
#include "arenaplan/plan_diff.h"
#include "cli_runner.h"
#include "map_test_util.h"
#include "test_util.h"

namespace arenaplan::test {
namespace {

std::string plan_json(const Problem& problem, const Plan& plan) {
  std::ostringstream out;
  write_plan_json(problem, plan, out, false);
  return out.str();
}

TEST(PlanDiff, ReadsAPlanFileBack) {
  const TempDir dir;
  const Problem problem = five_buffers();
  const Plan plan = run(problem, "auto");
  spit(dir.file("a.json"), plan_json(problem, plan));
  const PlanFile file = read_plan_file(dir.file("a.json"));
  ASSERT_EQ(file.problem.buffers.size(), 5u);
  EXPECT_EQ(file.plan.total_size(), plan.total_size());
  EXPECT_EQ(file.plan.lower_bound, plan.lower_bound);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(file.problem.buffers[i].live, problem.buffers[i].live);
    EXPECT_EQ(file.problem.buffers[i].kind, problem.buffers[i].kind);
    EXPECT_EQ(file.plan.placements[i].offset, plan.placements[i].offset);
  }
  EXPECT_TRUE(diff_plans(file, file).identical());
}

TEST(PlanDiff, MovedBuffersAndPoolSizes) {
  const TempDir dir;
  const Problem problem = random_intervals(60, 4);
  const Plan a = run(problem, "first_fit_by_first_use");
  const Plan b = run(problem, "best_fit_by_size");
  spit(dir.file("a.json"), plan_json(problem, a));
  spit(dir.file("b.json"), plan_json(problem, b));
  const PlanFile fa = read_plan_file(dir.file("a.json")), fb = read_plan_file(dir.file("b.json"));
  const PlanDiff diff = diff_plans(fa, fb);
  std::size_t moved = 0;
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) moved += a.placements[i].offset != b.placements[i].offset;
  EXPECT_EQ(diff.moved.size(), moved);
  EXPECT_EQ(diff.same + diff.moved.size(), problem.buffers.size());
  ASSERT_EQ(diff.pools.size(), 1u);
  EXPECT_EQ(diff.pools[0].a, a.pool_sizes[0]);
  EXPECT_EQ(diff.pools[0].b, b.pool_sizes[0]);
  for (std::size_t k = 1; k < diff.moved.size(); ++k) EXPECT_GE(diff.moved[k - 1].size, diff.moved[k].size);
  const std::string text = format_plan_diff(diff, fa, fb, 5);
  EXPECT_NE(text.find("moved, largest first"), std::string::npos);
}

TEST(PlanDiff, BuffersOnlyInOnePlan) {
  const TempDir dir;
  Problem small = five_buffers();
  const Plan plan_small = run(small, "auto");
  spit(dir.file("a.json"), plan_json(small, plan_small));
  Problem other = five_buffers();
  other.buffers[4].name = "renamed";
  other.buffers[0].size = 120;
  const Plan plan_other = run(other, "auto");
  spit(dir.file("b.json"), plan_json(other, plan_other));
  const PlanDiff diff = diff_plans(read_plan_file(dir.file("a.json")), read_plan_file(dir.file("b.json")));
  EXPECT_EQ(diff.only_in_a, std::vector<std::string>{"b4"});
  EXPECT_EQ(diff.only_in_b, std::vector<std::string>{"renamed"});
  EXPECT_EQ(diff.changed, std::vector<std::string>{"b0"});
}

TEST(PlanDiff, CommandLine) {
  const TempDir dir;
  const Problem problem = random_intervals(40, 9);
  spit(dir.file("a.json"), plan_json(problem, run(problem, "first_fit_by_first_use")));
  spit(dir.file("b.json"), plan_json(problem, run(problem, "best_fit_by_size")));
  const CommandResult r = run_cli("diff " + dir.file("a.json") + " " + dir.file("b.json"));
  EXPECT_EQ(r.status, 1) << r.out;  // the plans differ, as diff(1) and cmp(1) say it
  EXPECT_NE(r.out.find("sram"), std::string::npos);
  EXPECT_NE(r.out.find("buffers: 40 in both"), std::string::npos) << r.out;
  const CommandResult same = run_cli("diff " + dir.file("a.json") + " " + dir.file("a.json"));
  EXPECT_EQ(same.status, 0) << same.out;
  spit(dir.file("bad.json"), "{\"pools\": [], \"buffers\": [{\"name\": \"x\"}]}");
  const CommandResult bad = run_cli("diff " + dir.file("a.json") + " " + dir.file("bad.json"));
  EXPECT_EQ(bad.status, 2) << bad.out;
  EXPECT_NE(bad.out.find("bad.json"), std::string::npos);
}

}  // namespace
}  // namespace arenaplan::test
