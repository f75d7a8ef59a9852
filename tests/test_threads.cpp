// auto on several threads: members with budgets of their own (Budget::fork), the same plan on
// every run and under load, and never worse than one thread (member 0 is the one-thread search).
#include <gtest/gtest.h>

#include <thread>

#include "arenaplan/algorithm.h"
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

}  // namespace
}  // namespace arenaplan::test
