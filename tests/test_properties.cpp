// Property tests on thousands of random instances: interval and general conflict graphs, several
// pools with and without limits, alignments. Every algorithm's plan passes the checker and is
// never below the lower bound; nothing fails when every buffer can fall back to an unlimited pool.
#include <gtest/gtest.h>

#include <random>

#include "algorithms/gap_fill.h"
#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "arenaplan/lower_bound.h"
#include "test_util.h"

namespace arenaplan {
namespace {

struct Instance {
  Problem problem;
  bool always_fits;  // every buffer has an unlimited candidate pool
};

Instance random_instance(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](std::uint64_t n) { return rng() % n; };
  Instance out;
  Problem& p = out.problem;
  const int pools = 1 + static_cast<int>(pick(3));
  for (int k = 0; k < pools; ++k) {
    std::optional<Bytes> limit;
    if (pick(2)) limit = static_cast<Bytes>(pick(3000));
    p.pools.push_back({"p" + std::to_string(k), limit, 1, PoolKind::workspace});
  }
  const int shape = static_cast<int>(pick(3));  // 0 intervals, 1 conflict graph, 2 both
  const int n = 1 + static_cast<int>(pick(40));
  const double density = static_cast<double>(pick(100)) / 100.0;
  for (int i = 0; i < n; ++i) {
    Buffer b;
    b.name = "b" + std::to_string(i);
    b.size = pick(10) == 0 ? 0 : static_cast<Bytes>(1 + pick(pick(2) ? 64 : 1000));
    b.alignment = Bytes{1} << pick(7);
    if (shape != 1) {
      const int ranges = 1 + static_cast<int>(pick(pick(4) == 0 ? 3 : 1));
      for (int r = 0; r < ranges; ++r) {
        const Step first = static_cast<Step>(pick(60));
        b.live.push_back({first, first + 1 + static_cast<Step>(pick(25))});
      }
    }
    if (shape != 0) {
      for (int j = 0; j < i; ++j)
        if (static_cast<double>(pick(1000)) / 1000.0 < density) b.conflicts.push_back(j);  // one side only
    }
    std::vector<std::int32_t> candidates(static_cast<std::size_t>(pools));
    for (int k = 0; k < pools; ++k) candidates[k] = k;
    std::shuffle(candidates.begin(), candidates.end(), rng);
    candidates.resize(1 + pick(static_cast<std::uint64_t>(pools)));
    b.pools = candidates;
    p.buffers.push_back(b);
  }
  normalise(p, "random");
  out.always_fits = true;
  for (const Buffer& b : p.buffers) {
    bool unlimited = false;
    for (std::int32_t k : b.pools) unlimited |= !p.pools[k].limit;
    out.always_fits &= unlimited;
  }
  return out;
}

void check_algorithm(const std::string& algorithm, int instances, double time_limit) {
  int solved = 0, no_solution = 0;
  for (int seed = 0; seed < instances; ++seed) {
    const Instance inst = random_instance(static_cast<std::uint64_t>(seed));
    try {
      const Plan plan = test::run(inst.problem, algorithm, time_limit, static_cast<std::uint64_t>(seed));
      ASSERT_EQ(check_plan(inst.problem, plan), std::nullopt) << algorithm << " seed " << seed;
      ASSERT_GE(plan.total_size(), lower_bound(inst.problem)) << algorithm << " seed " << seed;
      if (plan.total_size() == plan.lower_bound) { ASSERT_TRUE(plan.optimal) << algorithm << " seed " << seed; }
      ++solved;
    } catch (const NoSolution&) {
      ASSERT_FALSE(inst.always_fits) << algorithm << " failed although an unlimited pool was available, seed " << seed;
      ++no_solution;
    }
  }
  EXPECT_GT(solved, instances / 3) << algorithm;
}

class FastAlgorithm : public ::testing::TestWithParam<std::string> {};
TEST_P(FastAlgorithm, ValidAndNeverBelowTheBoundOnRandomInstances) { check_algorithm(GetParam(), 2000, 1.0); }
INSTANTIATE_TEST_SUITE_P(Random, FastAlgorithm,
                         ::testing::Values("greedy_by_size", "greedy_by_conflicts", "first_fit_by_size",
                                           "first_fit_by_first_use", "first_fit_by_conflicts", "first_fit_by_area",
                                           "best_fit_by_size", "best_fit_by_first_use", "best_fit_by_conflicts",
                                           "best_fit_by_area"));

class SearchAlgorithm : public ::testing::TestWithParam<std::string> {};
TEST_P(SearchAlgorithm, ValidAndNeverBelowTheBoundOnRandomInstances) { check_algorithm(GetParam(), 300, 0.02); }
INSTANTIATE_TEST_SUITE_P(Random, SearchAlgorithm, ::testing::Values("hill_climb", "local_search", "auto"));

// The lower bound is a bound: on tiny instances, an exhaustive search over placement orders
// never beats it, and auto's result is never worse than the best order found exhaustively.
TEST(LowerBound, NeverAboveTheBestOrderOnTinyInstances) {
  for (int seed = 0; seed < 150; ++seed) {
    Instance inst = random_instance(1000 + static_cast<std::uint64_t>(seed));
    Problem& p = inst.problem;
    if (p.buffers.size() > 6 || !inst.always_fits) continue;
    for (Pool& pool : p.pools) pool.limit.reset();
    std::vector<std::int32_t> order(p.buffers.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int32_t>(i);
    const ConflictIndex index(p);
    Bytes best = -1;
    do {
      const auto placed = detail::place_in_order(p, index, order, detail::Fit::first);
      if (best < 0 || placed.plan.total_size() < best) best = placed.plan.total_size();
    } while (std::next_permutation(order.begin(), order.end()));
    EXPECT_LE(lower_bound(p), best) << "seed " << seed;
  }
}

}  // namespace
}  // namespace arenaplan
