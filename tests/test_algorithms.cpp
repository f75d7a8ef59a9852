#include <gtest/gtest.h>

#include <random>

#include "algorithms/gap_fill.h"
#include "algorithms/orderings.h"
#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "arenaplan/lower_bound.h"
#include "test_util.h"

namespace arenaplan {
namespace {

const std::vector<std::string> kCoreAlgorithms = {"auto",
                                                  "greedy_by_size",
                                                  "greedy_by_conflicts",
                                                  "hill_climb",
                                                  "local_search",
                                                  "window_search",
                                                  "first_fit_by_size",
                                                  "first_fit_by_first_use",
                                                  "first_fit_by_conflicts",
                                                  "first_fit_by_area",
                                                  "best_fit_by_size",
                                                  "best_fit_by_first_use",
                                                  "best_fit_by_conflicts",
                                                  "best_fit_by_area"};

TEST(Registry, ListsTheCoreAlgorithms) {
  for (const std::string& name : kCoreAlgorithms) EXPECT_NE(find_algorithm(name), nullptr) << name;
}

TEST(Registry, UnknownAlgorithmIsAnInputErrorListingTheKnownOnes) {
  const Problem p = test::intervals({{0, 1, 4}});
  try {
    test::run(p, "magic");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown algorithm 'magic'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("best_fit_by_size"), std::string::npos);
  }
}

TEST(Registry, UserAlgorithmsRunAndAreChecked) {
  // Stacks every buffer: always valid, never clever.
  register_algorithm({"test_stack", "stack everything", [](const Problem& p, const AlgorithmContext&) {
                        Plan plan;
                        Bytes top = 0;
                        for (const Buffer& b : p.buffers) {
                          top = detail::align_up(top, b.alignment);
                          plan.placements.push_back({b.pools.front(), top});
                          top += b.size;
                        }
                        return plan;
                      }});
  const Problem p = test::intervals({{0, 2, 10}, {5, 9, 20}});
  const Plan plan = test::run(p, "test_stack");
  EXPECT_EQ(plan.total_size(), 30);
  EXPECT_EQ(plan.algorithm, "test_stack");
  EXPECT_EQ(plan.lower_bound, 20);
  EXPECT_FALSE(plan.optimal);

  register_algorithm({"test_broken", "overlaps everything", [](const Problem& q, const AlgorithmContext&) {
                        Plan broken;
                        for (const Buffer& b : q.buffers) broken.placements.push_back({b.pools.front(), 0});
                        return broken;
                      }});
  const Problem overlapping = test::intervals({{0, 2, 10}, {1, 9, 20}});
  EXPECT_THROW(test::run(overlapping, "test_broken"), std::logic_error);  // the checker catches it
}

TEST(GapFill, FillsHolesThatTvmGreedyLeaves) {
  // test_mobilenet_subgraph: TVM's greedy puts sid_9 above PaddedInput_7 although the hole below
  // it is free; gap filling uses the hole.
  const Problem p = test::load("tvm/tvm_algo_mobilenet_subgraph.json");
  const std::int32_t slow = *p.find_pool("slow_memory");
  EXPECT_EQ(test::run(p, "greedy_by_size").pool_sizes[slow], 1418528);
  EXPECT_EQ(test::run(p, "first_fit_by_size").pool_sizes[slow], 1117462);
  EXPECT_EQ(test::run(p, "best_fit_by_size").pool_sizes[slow], 1117462);
}

TEST(GapFill, BestFitChoosesTheTightestHole) {
  // Two holes of different sizes at the same time: [10,20) and [25,33).
  Problem two = test::intervals({{0, 9, 10}, {0, 4, 10}, {0, 9, 5}, {0, 4, 8}, {0, 9, 4}, {5, 9, 8}});
  const ConflictIndex two_index(two);
  const std::vector<std::int32_t> in_order = {0, 1, 2, 3, 4, 5};
  auto ff = detail::place_in_order(two, two_index, in_order, detail::Fit::first);
  auto bf = detail::place_in_order(two, two_index, in_order, detail::Fit::best);
  EXPECT_EQ(ff.plan.placements[5].offset, 10);  // first hole, 10 bytes
  EXPECT_EQ(bf.plan.placements[5].offset, 25);  // exact 8-byte hole
  EXPECT_EQ(check_plan(two, ff.plan), std::nullopt);
  EXPECT_EQ(check_plan(two, bf.plan), std::nullopt);
}

TEST(GapFill, SweepGivesTheSamePlacementAsTheGeneralEngine) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 200; ++round) {
    Problem p;
    p.pools.push_back({"a", static_cast<Bytes>(200 + rng() % 400), 1, PoolKind::workspace});
    p.pools.push_back({"b", std::nullopt, 1, PoolKind::workspace});
    const int n = 1 + static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) {
      Buffer b;
      b.name = std::to_string(i);
      b.size = static_cast<Bytes>(rng() % 100);
      b.alignment = Bytes{1} << (rng() % 4);
      const Step first = static_cast<Step>(rng() % 50);
      b.live = {{first, first + 1 + static_cast<Step>(rng() % 20)}};
      b.pools = rng() % 2 ? std::vector<std::int32_t>{0, 1} : std::vector<std::int32_t>{1};
      p.buffers.push_back(b);
    }
    normalise(p, "random");
    ASSERT_TRUE(detail::sweep_applies(p));
    const ConflictIndex index(p);
    const auto order = detail::make_order(p, index, detail::Ordering::first_use);
    for (auto fit : {detail::Fit::first, detail::Fit::best}) {
      const auto a = detail::place_in_order(p, index, order, fit);
      const auto b = detail::place_by_sweep(p, order, fit);
      for (int i = 0; i < n; ++i) {
        EXPECT_EQ(a.plan.placements[i].pool, b.plan.placements[i].pool);
        EXPECT_EQ(a.plan.placements[i].offset, b.plan.placements[i].offset);
      }
    }
  }
}

TEST(Pools, FallBackToTheNextCandidateWhenTheFirstIsFull) {
  Problem p;
  p.pools.push_back({"fast", 100, 1, PoolKind::workspace});
  p.pools.push_back({"slow", std::nullopt, 1, PoolKind::workspace});
  for (int i = 0; i < 4; ++i) {
    Buffer b;
    b.name = "t" + std::to_string(i);
    b.size = 60;
    b.live = {{0, 10}};
    b.pools = {0, 1};
    p.buffers.push_back(b);
  }
  normalise(p, "test");
  for (const std::string& algorithm : kCoreAlgorithms) {
    SCOPED_TRACE(algorithm);
    const Plan plan = test::run(p, algorithm, 0.05);
    EXPECT_EQ(plan.pool_sizes[0], 60);   // one fits in fast
    EXPECT_EQ(plan.pool_sizes[1], 180);  // three in slow
  }
}

TEST(Pools, NothingFitsIsNoSolutionNamingThePoolAndTheShortfall) {
  Problem p = test::intervals({{0, 5, 60}, {0, 5, 50}, {6, 9, 10}});
  apply_capacity(p, 100);
  for (const std::string& algorithm : kCoreAlgorithms) {
    SCOPED_TRACE(algorithm);
    try {
      test::run(p, algorithm, 0.05);
      FAIL() << "expected NoSolution";
    } catch (const NoSolution& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("'pool'"), std::string::npos) << what;
      EXPECT_TRUE(what.find("10 bytes short") != std::string::npos ||
                  what.find("10 more than the limit") != std::string::npos)
          << what;
    }
  }
}

TEST(Placement, HonoursAlignmentFixedOffsetsAndZeroSizes) {
  Problem p = test::intervals({{0, 5, 3}, {0, 5, 7}, {0, 5, 0}, {0, 5, 16}, {2, 3, 5}});
  p.buffers[1].alignment = 8;
  p.buffers[3].alignment = 16;
  p.buffers[4].fixed_offset = 100;
  for (const std::string& algorithm : kCoreAlgorithms) {
    SCOPED_TRACE(algorithm);
    const Plan plan = test::run(p, algorithm, 0.05);
    EXPECT_EQ(plan.placements[1].offset % 8, 0);
    EXPECT_EQ(plan.placements[3].offset % 16, 0);
    EXPECT_EQ(plan.placements[4].offset, 100);
    EXPECT_EQ(check_plan(p, plan), std::nullopt);
  }
}

TEST(Placement, OverlappingPrePlacedBuffersHaveNoSolution) {
  Problem p = test::intervals({{0, 5, 10}, {2, 6, 10}});
  p.buffers[0].fixed_offset = 0;
  p.buffers[1].fixed_offset = 5;
  for (const std::string& algorithm : kCoreAlgorithms) {
    SCOPED_TRACE(algorithm);
    try {
      test::run(p, algorithm, 0.05);
      FAIL();
    } catch (const NoSolution& e) {
      EXPECT_NE(std::string(e.what()).find("pre-placed buffers 'b0' and 'b1'"), std::string::npos) << e.what();
    }
  }
}

TEST(Search, StopsAtTheLowerBoundAndIsDeterministicForASeed) {
  const Problem p = test::random_intervals(5, 120, 16, 64, 100, 15);
  for (const char* algorithm : {"local_search", "hill_climb"}) {
    const Plan a = test::run(p, algorithm, 30.0, 3);
    const Plan b = test::run(p, algorithm, 30.0, 3);
    ASSERT_EQ(a.placements.size(), b.placements.size());
    for (std::size_t i = 0; i < a.placements.size(); ++i)
      EXPECT_EQ(a.placements[i].offset, b.placements[i].offset) << algorithm;
    EXPECT_GE(a.total_size(), a.lower_bound);
  }
}

TEST(Search, HonoursTheTimeLimit) {
  // A hard instance for which the bound is not reached: the search must stop on time.
  const Problem p = test::random_intervals(9, 2000, 1, 5000, 1000, 60);
  const Plan plan = test::run(p, "local_search", 0.3);
  EXPECT_LT(plan.solve_seconds, 2.0);  // generous: a shared machine; the point is that it stops
  EXPECT_EQ(check_plan(p, plan), std::nullopt);
}

}  // namespace
}  // namespace arenaplan
