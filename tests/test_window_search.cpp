// The window search (re-placing the buffers around the peak) and auto's large-problem members:
// plans only get smaller and stay valid, the same bytes for a work budget, on any thread count.
#include <gtest/gtest.h>

#include <thread>

#include "algorithms/gap_fill_algorithms.h"
#include "algorithms/window_search.h"
#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "arenaplan/lower_bound.h"
#include "test_util.h"

namespace arenaplan {
namespace {

using detail::Fit;
using detail::Ordering;

detail::WindowResult search(const Problem& p, const Plan& start, std::int64_t work, std::uint64_t seed = 0) {
  SolveOptions options;
  options.seed = seed;
  const ConflictIndex index(p);
  const AlgorithmContext context{options, lower_bound(p), Budget(work, 100.0, nullptr)};
  return detail::window_search(p, index, start, context);
}

Plan placed(const Problem& p, Fit fit, Ordering ordering) {
  Plan plan = detail::run_gap_fill(p, fit, ordering).plan;
  compute_pool_sizes(p, plan);
  return plan;
}

// Every buffer on top of the one before: a valid plan as poor as it gets.
Plan stacked(const Problem& p) {
  Plan plan;
  Bytes top = 0;
  for (const Buffer& b : p.buffers) {
    top = detail::align_up(top, b.alignment);
    plan.placements.push_back({b.pools.front(), top});
    top += b.size;
  }
  compute_pool_sizes(p, plan);
  return plan;
}

TEST(WindowSearch, CompactsAStackedPlan) {
  // A chain of short lives: stacked, the pool is the sum of all sizes; the search brings it
  // down to within a few percent of the bound by moves around the top alone.
  const Problem p = test::random_intervals(3, 300, 16, 64, 200, 6);
  const Plan start = stacked(p);
  const detail::WindowResult r = search(p, start, 5'000'000);
  EXPECT_EQ(check_plan(p, r.plan), std::nullopt);
  EXPECT_GT(r.improved, 10);
  EXPECT_LT(static_cast<double>(r.plan.total_size()), 1.25 * static_cast<double>(lower_bound(p)));
  EXPECT_LT(r.plan.total_size(), start.total_size() / 4);
}

TEST(WindowSearch, ImprovesOnBestFitBySize) {
  // Random intervals where the size order leaves 10% of waste (ratio 1.10 to the bound).
  const Problem p = test::random_intervals(11, 2000, 16, 1024, 500, 31);
  const Plan start = placed(p, Fit::best, Ordering::size);
  const detail::WindowResult r = search(p, start, 20'000'000);
  EXPECT_EQ(check_plan(p, r.plan), std::nullopt);
  EXPECT_LT(r.plan.total_size(), start.total_size());
  EXPECT_GE(r.plan.total_size(), lower_bound(p));
}

TEST(WindowSearch, SameBytesForASeedAndWorkBudget) {
  const Problem p = test::random_intervals(11, 2000, 16, 1024, 500, 31);
  const Plan start = placed(p, Fit::best, Ordering::size);
  const detail::WindowResult a = search(p, start, 3'000'000, 7);
  const detail::WindowResult b = search(p, start, 3'000'000, 7);
  EXPECT_EQ(a.moves, b.moves);
  ASSERT_EQ(a.plan.placements.size(), b.plan.placements.size());
  for (std::size_t i = 0; i < a.plan.placements.size(); ++i)
    EXPECT_EQ(a.plan.placements[i].offset, b.plan.placements[i].offset);
}

TEST(WindowSearch, KeepsPoolsLimitsAndPrePlacedBuffers) {
  // Two pools, a limit that the start just meets, and a pre-placed buffer in the way.
  Problem p = test::random_intervals(5, 400, 16, 64, 100, 10);
  p.pools.push_back({"second", std::nullopt, 1, PoolKind::workspace});
  for (std::size_t i = 0; i < p.buffers.size(); i += 3) p.buffers[i].pools = {1};
  p.buffers[1].fixed_offset = 64;
  normalise(p, "test");
  Plan start = placed(p, Fit::first, Ordering::first_use);
  ASSERT_EQ(check_plan(p, start), std::nullopt);
  p.pools[0].limit = start.pool_sizes[0];
  const detail::WindowResult r = search(p, start, 5'000'000);
  EXPECT_EQ(check_plan(p, r.plan), std::nullopt);
  EXPECT_LT(r.plan.total_size(), start.total_size());
  EXPECT_EQ(r.plan.placements[1].offset, 64);
  for (std::size_t i = 0; i < p.buffers.size(); ++i) EXPECT_EQ(r.plan.placements[i].pool, start.placements[i].pool);
}

TEST(WindowSearch, NamedAlgorithmRefusesExplicitConflicts) {
  Problem p = test::intervals({{0, 2, 10}, {1, 3, 20}});
  p.buffers[0].conflicts = {1};
  normalise(p, "test");
  EXPECT_FALSE(detail::window_search_applies(p));
  EXPECT_THROW(test::run(p, "window_search"), InputError);
}

// Above auto's large-problem size: the window search members run after the placements.
Plan solve_large(const Problem& p, unsigned threads) {
  SolveOptions options;
  options.threads = threads;
  options.work_limit = 25'000'000;
  options.time_limit_seconds = 600;  // the work budget ends the search, on a loaded machine too
  return solve(p, options);
}

TEST(WindowSearch, AutoNamesTheMemberAndGivesTheSameBytesOnEveryRun) {
  // An instance on which the window search improves the best placement, for either count.
  const Problem p = test::random_intervals(1, 5200, 16, 1024, 1300, 31);
  const Plan one = solve_large(p, 1);
  EXPECT_EQ(one.stopped_by, StopReason::work_limit);
  EXPECT_EQ(one.algorithm, "auto/window_search");
  const Plan first = solve_large(p, 2);
  EXPECT_EQ(first.algorithm, "auto/window_search[seed 1]");  // the second member's plan
  EXPECT_LE(first.total_size(), one.total_size());
  Plan second, third;
  std::thread other([&] { third = solve_large(p, 2); });
  second = solve_large(p, 2);
  other.join();
  for (const Plan* q : {&second, &third}) {
    EXPECT_EQ(q->algorithm, first.algorithm);
    ASSERT_EQ(q->placements.size(), first.placements.size());
    for (std::size_t i = 0; i < first.placements.size(); ++i)
      EXPECT_EQ(q->placements[i].offset, first.placements[i].offset);
  }
}

}  // namespace
}  // namespace arenaplan
