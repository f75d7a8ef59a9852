// auto on several threads: members with budgets of their own (Budget::fork), the same plan on
// every run and under load, and never worse than one thread (member 0 is the one-thread search).
#include <gtest/gtest.h>

#include <iostream>
#include <thread>

#include "arenaplan/algorithm.h"
#include "arenaplan/io.h"
#include "test_util.h"

namespace arenaplan::test {
namespace {

TEST(Fork, HasItsOwnCountAndJoinChargesIt) {
  const Budget budget(1000, 100.0, nullptr);
  budget.charge(100);
  const Budget member = budget.fork(50);
  EXPECT_EQ(member.work_done(), 0);
  member.charge(60);
  EXPECT_TRUE(member.exhausted());
  EXPECT_EQ(budget.work_done(), 100);
  EXPECT_FALSE(budget.exhausted());
  budget.join(member, 60);
  EXPECT_EQ(budget.work_done(), 160);
  EXPECT_EQ(budget.reason(), StopReason::work_limit);
}

// Above TVM's size limit, so the searches are the portfolio's last members.
Problem search_problem() { return random_intervals(7, 700, 16, 64, 300, 40); }

Plan solve_with(const Problem& problem, unsigned threads) {
  SolveOptions options;
  options.threads = threads;
  options.work_limit = 3000000;
  return solve(problem, options);
}

TEST(Threads, SameBytesOnEveryRunAndTwoAtOnce) {
  const Problem problem = search_problem();
  const Plan first = solve_with(problem, 2);
  EXPECT_EQ(first.stopped_by, StopReason::work_limit);  // the searches ran to their budgets
  Plan second, third;
  std::thread other([&] { third = solve_with(problem, 2); });
  second = solve_with(problem, 2);
  other.join();
  for (const Plan* p : {&second, &third}) {
    EXPECT_EQ(p->algorithm, first.algorithm);
    ASSERT_EQ(p->placements.size(), first.placements.size());
    for (std::size_t i = 0; i < first.placements.size(); ++i)
      EXPECT_EQ(p->placements[i].offset, first.placements[i].offset);
  }
}

TEST(Threads, MoreMembersAreNeverWorse) {
  const Problem problem = search_problem();
  const Plan one = solve_with(problem, 1);
  const Plan three = solve_with(problem, 3);
  EXPECT_LE(three.total_size(), one.total_size());
  EXPECT_EQ(three.stopped_by, StopReason::work_limit);  // the searches ran to their budgets
}

// exact runs the orders of a round side by side and takes their results as one thread would:
// the same placements, work units and stop on 1, 2 and 3 threads, deciding at the capacity (rounds
// of 1024 nodes and more run ahead on E) and minimising to a work limit (members stopped by it).
TEST(Threads, ExactGivesTheOneThreadPlanOnAnyNumberOfThreads) {
  const Problem problem = read_problem(data_path("challenging/E.1048576.csv"), std::cerr, InputLimits{});
  for (const std::int64_t work_limit : {std::int64_t{0}, std::int64_t{1600000}}) {  // 0: the default
    std::vector<Plan> plans;
    for (const unsigned threads : {1u, 2u, 3u}) {
      SolveOptions options;
      options.algorithm = "exact";
      options.threads = threads;
      Problem p = problem;
      if (work_limit > 0)
        options.work_limit = work_limit;
      else
        apply_capacity(p, 1048576);
      plans.push_back(solve(p, options));
    }
    EXPECT_EQ(plans[0].stopped_by, work_limit > 0 ? StopReason::work_limit : StopReason::optimal);
    EXPECT_EQ(plans[0].total_size() == 1048576, work_limit == 0);
    for (const Plan& plan : plans) {
      EXPECT_EQ(plan.work_units, plans[0].work_units) << work_limit;
      EXPECT_EQ(plan.stopped_by, plans[0].stopped_by) << work_limit;
      ASSERT_EQ(plan.placements.size(), plans[0].placements.size());
      for (std::size_t i = 0; i < plan.placements.size(); ++i)
        EXPECT_EQ(plan.placements[i].offset, plans[0].placements[i].offset) << work_limit;
    }
  }
}

}  // namespace
}  // namespace arenaplan::test
