// Overlap allowances (docs/overlap.md): the relation in the Problem, its JSON, the checker, the
// overlap-aware lower bound and the algorithms that exploit it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "arenaplan/lower_bound.h"
#include "arenaplan/plan_diff.h"
#include "cli_runner.h"
#include "test_util.h"

namespace arenaplan {
namespace {

namespace fs = std::filesystem;

Buffer buffer(const std::string& name, Bytes size, Interval live) {
  Buffer b;
  b.name = name;
  b.size = size;
  b.live = {live};
  b.pools = {0};
  return b;
}

// A chain of `sizes.size()` tensors: tensor k is written by operator k (step k) and read by
// operator k+1, which may write over it at distance `distance` (d = 0: in place).
Problem chain(const std::vector<Bytes>& sizes, Bytes distance, bool allowances = true) {
  Problem p;
  p.pools.push_back({"sram", std::nullopt, 1, PoolKind::workspace});
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    const auto step = static_cast<Step>(k);
    p.buffers.push_back(buffer("t" + std::to_string(k), sizes[k], {step, step + 2}));
    if (allowances && k > 0) p.buffers.back().overlaps = {{static_cast<std::int32_t>(k - 1), distance}};
  }
  normalise(p, "chain");
  return p;
}

// The definition, written again here: conflicting buffers share no byte, unless Y starts at
// least d below X for an allowance Y holds for X.
bool pair_valid(const Problem& p, std::size_t a, std::size_t b, Bytes oa, Bytes ob) {
  const Buffer& x = p.buffers[a];
  const Buffer& y = p.buffers[b];
  const bool conflict = live_ranges_overlap(x, y) || std::count(x.conflicts.begin(), x.conflicts.end(), b) > 0;
  if (!conflict || x.size == 0 || y.size == 0) return true;
  if (oa + x.size <= ob || ob + y.size <= oa) return true;
  for (const OverlapAllowance& o : y.overlaps)
    if (o.with == static_cast<std::int32_t>(a) && ob <= oa - o.distance) return true;
  for (const OverlapAllowance& o : x.overlaps)
    if (o.with == static_cast<std::int32_t>(b) && oa <= ob - o.distance) return true;
  return false;
}

// Exhaustive search over offsets (one pool, alignment respected): the smallest peak.
Bytes brute_force(const Problem& p) {
  const std::size_t n = p.buffers.size();
  Bytes total = 0;
  for (const Buffer& b : p.buffers) total += b.size;
  Bytes best = total;
  std::vector<Bytes> offset(n, 0);
  auto search = [&](auto&& self, std::size_t i, Bytes peak) -> void {
    if (peak >= best) return;
    if (i == n) {
      best = peak;
      return;
    }
    const Buffer& b = p.buffers[i];
    for (Bytes o = 0; o + b.size < best; o += b.alignment) {
      bool ok = true;
      for (std::size_t j = 0; j < i && ok; ++j) ok = pair_valid(p, j, i, offset[j], o);
      if (!ok) continue;
      offset[i] = o;
      self(self, i + 1, std::max(peak, o + b.size));
    }
  };
  search(search, 0, 0);
  return best;
}

// Up to 7 buffers on a short timeline, sizes of 1-6 units (some aligned to 2), and allowances
// between a buffer and one that dies at its first step (born strictly before it).
Problem random_problem(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Problem p;
  p.pools.push_back({"sram", std::nullopt, 1, PoolKind::workspace});
  const int n = 3 + static_cast<int>(rng() % 5);
  for (int i = 0; i < n; ++i) {
    const auto first = static_cast<Step>(rng() % 5);
    Buffer b = buffer("b" + std::to_string(i), 1 + static_cast<Bytes>(rng() % 6),
                      {first, first + 1 + static_cast<Step>(rng() % 3)});
    if (rng() % 4 == 0) b.alignment = 2;
    b.size = (b.size + b.alignment - 1) / b.alignment * b.alignment;
    p.buffers.push_back(b);
  }
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      const Buffer& bx = p.buffers[static_cast<std::size_t>(x)];
      Buffer& by = p.buffers[static_cast<std::size_t>(y)];
      const Step birth = by.live[0].first;
      if (x == y || bx.live[0].last != birth + 1 || bx.live[0].first >= birth || rng() % 3 == 0) continue;
      by.overlaps.push_back({x, static_cast<Bytes>(rng() % static_cast<std::uint64_t>(by.size + 1))});
    }
  }
  normalise(p, "random");
  return p;
}

TEST(Overlap, ProblemJsonRoundTrip) {
  const std::string text = R"({"buffers": [
    {"name": "x", "size_bytes": 64, "live": [[0, 2]]},
    {"name": "y", "size_bytes": 48, "live": [[1, 3]], "overlaps": [{"with": "x", "distance": 16}]}]})";
  Problem p = parse_problem_json(text, "in.json");
  normalise(p, "in.json");
  ASSERT_EQ(p.buffers[1].overlaps.size(), 1u);
  EXPECT_EQ(p.buffers[1].overlaps[0], (OverlapAllowance{0, 16}));
  EXPECT_TRUE(p.has_overlaps());

  const Plan plan = test::run(p, "first_fit_by_size");
  std::ostringstream out;
  write_plan_json(p, plan, out, false);
  EXPECT_NE(out.str().find(R"("overlaps": [)"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find(R"("with": "x")"), std::string::npos);
  EXPECT_NE(out.str().find(R"("whole_tensor_lower_bound_bytes": 112)"), std::string::npos);

  // Read back against the problem, the plan checks; read alone, it carries the allowance.
  std::optional<std::string> mismatch;
  const Plan again = parse_plan_json(out.str(), "plan.json", p, mismatch);
  EXPECT_FALSE(mismatch);
  EXPECT_EQ(again.placements[1].offset, plan.placements[1].offset);
  EXPECT_EQ(check_plan(p, again), std::nullopt);
  const fs::path file = fs::temp_directory_path() / "arenaplan_overlap_plan.json";
  std::ofstream(file) << out.str();
  const PlanFile alone = read_plan_file(file.string());
  fs::remove(file);
  ASSERT_EQ(alone.problem.buffers[1].overlaps.size(), 1u);
  EXPECT_EQ(alone.problem.buffers[1].overlaps[0], (OverlapAllowance{0, 16}));
}

TEST(Overlap, CheckerAcceptsAtTheDistanceAndRejectsOneByteLess) {
  Problem p;
  p.pools.push_back({"sram", std::nullopt, 1, PoolKind::workspace});
  p.buffers.push_back(buffer("x", 64, {0, 2}));
  p.buffers.push_back(buffer("y", 64, {1, 3}));
  p.buffers[1].overlaps = {{0, 16}};
  normalise(p, "test");
  Plan plan;
  plan.placements = {{0, 64}, {0, 48}};  // y starts exactly 16 bytes below x
  compute_pool_sizes(p, plan);
  EXPECT_EQ(check_plan(p, plan), std::nullopt);
  plan.placements[1].offset = 49;  // 15 bytes below: clobbers a byte not yet read
  compute_pool_sizes(p, plan);
  const auto v = check_plan(p, plan);
  ASSERT_TRUE(v);
  EXPECT_NE(v->find("'y' starts 15 bytes below 'x' where its overlap allowance needs at least 16"), std::string::npos)
      << *v;
  // Y above X is never covered by the allowance.
  plan.placements = {{0, 0}, {0, 16}};
  compute_pool_sizes(p, plan);
  EXPECT_TRUE(check_plan(p, plan));
  // The same with an explicit conflict instead of live ranges.
  Problem q = p;
  for (Buffer& b : q.buffers) b.live.clear();
  q.buffers[0].conflicts = {1};
  normalise(q, "test");
  plan.placements = {{0, 64}, {0, 48}};
  compute_pool_sizes(q, plan);
  EXPECT_EQ(check_plan(q, plan), std::nullopt);
  plan.placements[1].offset = 50;
  EXPECT_TRUE(check_plan(q, plan));
}

class OverlapCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("arenaplan_overlap_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string file(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name) << content;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

TEST_F(OverlapCli, BadAllowancesAreOneLineAndExitTwo) {
  const std::string pools = R"("pools": [{"name": "a"}, {"name": "b"}], )";
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"({"buffers": [{"name": "x", "size_bytes": 8, "live": [[0, 2]]},
          {"name": "y", "size_bytes": 8, "live": [[1, 3]], "overlaps": [{"with": "z", "distance": 0}]}]})",
       "buffers[1] ('y').overlaps[0].with: unknown buffer 'z'"},
      {R"({"buffers": [{"name": "x", "size_bytes": 8, "live": [[0, 2]]},
          {"name": "y", "size_bytes": 8, "live": [[1, 3]], "overlaps": [{"with": "x", "distance": -1}]}]})",
       "overlap allowance with 'x' has distance -1, out of range"},
      {R"({"buffers": [{"name": "y", "size_bytes": 8, "live": [[1, 3]], "overlaps": [{"with": "y", "distance": 0}]}]})",
       "buffer 'y' has an overlap allowance with itself"},
      {R"({"buffers": [{"name": "x", "size_bytes": 8, "live": [[0, 2]]},
          {"name": "y", "size_bytes": 8, "live": [[1, 3]],
           "overlaps": [{"with": "x", "distance": 0}, {"with": "x", "distance": 4}]}]})",
       "buffer 'y' lists an overlap allowance with 'x' twice"},
      {"{" + pools + R"("buffers": [{"name": "x", "size_bytes": 8, "live": [[0, 2]], "pool_candidates": ["a"]},
          {"name": "y", "size_bytes": 8, "live": [[1, 3]], "pool_candidates": ["b"],
           "overlaps": [{"with": "x", "distance": 0}]}]})",
       "no candidate pool in common"},
      {R"({"buffers": [{"name": "x", "size_bytes": 8, "live": [[0, 3]]},
          {"name": "y", "size_bytes": 8, "live": [[1, 3]], "overlaps": [{"with": "x", "distance": 0}]}]})",
       "both are live at step 2; 'x' must die at the step where 'y' is born (1)"},
      {R"({"buffers": [{"name": "x", "size_bytes": 8, "conflicts": ["y"], "overlaps": [{"with": "y", "distance": 0}]},
          {"name": "y", "size_bytes": 8, "overlaps": [{"with": "x", "distance": 0}]}]})",
       "have overlap allowances with each other"},
      {R"({"buffers": [{"name": "a", "size_bytes": 8, "overlaps": [{"with": "c", "distance": 0}]},
          {"name": "b", "size_bytes": 8, "overlaps": [{"with": "a", "distance": 0}]},
          {"name": "c", "size_bytes": 8, "overlaps": [{"with": "b", "distance": 0}]}]})",
       "overlap allowances form a cycle"},
      {R"({"buffers": [{"name": "x", "size_bytes": 8, "live": [[0, 2]]},
          {"name": "y", "size_bytes": 8, "live": [[1, 3]], "overlaps": [{"with": "x"}]}]})",
       "missing field \"distance\""},
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const std::string path = file("bad" + std::to_string(k) + ".json", cases[k].first);
    const auto r = test::run_cli("solve " + path);
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
    EXPECT_NE(r.out.find(path), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(cases[k].second), std::string::npos) << r.out;
  }
}

TEST_F(OverlapCli, SolveReportsBothBoundsAndCheckRechecksThePlan) {
  const std::string problem = file("chain.json", R"({"buffers": [
    {"name": "a", "size_bytes": 100, "live": [[0, 2]]},
    {"name": "b", "size_bytes": 100, "live": [[1, 3]], "overlaps": [{"with": "a", "distance": 0}]},
    {"name": "c", "size_bytes": 100, "live": [[2, 4]], "overlaps": [{"with": "b", "distance": 0}]}]})");
  const std::string plan = (dir_ / "plan.json").string();
  const auto r = test::run_cli("solve " + problem + " -o " + plan);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("total 100 bytes, lower bound 100 bytes (overlap-aware; whole-tensor 200 bytes)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("optimal (proven)"), std::string::npos) << r.out;
  EXPECT_EQ(test::run_cli("check " + problem + " " + plan).status, 0);
  // The same plan against the problem without allowances is invalid.
  const std::string plain = file("plain.json", R"({"buffers": [
    {"name": "a", "size_bytes": 100, "live": [[0, 2]]},
    {"name": "b", "size_bytes": 100, "live": [[1, 3]]},
    {"name": "c", "size_bytes": 100, "live": [[2, 4]]}]})");
  EXPECT_EQ(test::run_cli("check " + plain + " " + plan).status, 1);
}

TEST(Overlap, InPlaceChainNeedsOneTensor) {
  const Problem p = chain({256, 256, 256, 256, 256, 256}, 0);
  EXPECT_EQ(lower_bound(p), 256);
  EXPECT_EQ(lower_bound(p, BoundKind::whole_tensor), 512);
  for (const std::string fit : {"first", "best"})
    for (const std::string order : {"size", "first_use", "conflicts", "area"}) {
      const Plan plan = test::run(p, fit + "_fit_by_" + order);
      EXPECT_EQ(plan.total_size(), 256) << fit << " " << order;
      EXPECT_TRUE(plan.optimal);
      EXPECT_EQ(plan.whole_tensor_bound, 512);
    }
  for (const std::string name : {"exact", "local_search", "auto"}) EXPECT_EQ(test::run(p, name).total_size(), 256);
  // TVM's and TFLite Micro's algorithms take allowances as conflicts: the same plan as without.
  const Problem plain = chain({256, 256, 256, 256, 256, 256}, 0, false);
  for (const std::string name : {"greedy_by_size", "greedy_by_conflicts", "hill_climb", "tflm"}) {
    const Plan plan = test::run(p, name);
    EXPECT_EQ(plan.placements.size(), 6u);
    for (std::size_t i = 0; i < 6; ++i)
      EXPECT_EQ(plan.placements[i].offset, test::run(plain, name).placements[i].offset) << name;
    EXPECT_GE(plan.total_size(), 512) << name;
  }
}

TEST(Overlap, GapFillOnChainsIsNeverWorseWithAllowances) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<Bytes> sizes(2 + rng() % 7);
    for (Bytes& s : sizes) s = 16 * static_cast<Bytes>(1 + rng() % 8);
    const Bytes d = 16 * static_cast<Bytes>(rng() % 4);
    const Problem with = chain(sizes, d), without = chain(sizes, d, false);
    for (const std::string fit : {"first", "best"})
      for (const std::string order : {"size", "first_use", "conflicts", "area"}) {
        const std::string name = fit + "_fit_by_" + order;
        EXPECT_LE(test::run(with, name).total_size(), test::run(without, name).total_size()) << name << " " << trial;
      }
  }
}

TEST(Overlap, AddOutputOnBothInputsAndSplitInputUnderSeveralOutputs) {
  // ADD: y = x1 + x2, in place on either input (d = 0). At least |x1| + |x2|, not 3 tensors.
  Problem add;
  add.pools.push_back({"sram", std::nullopt, 1, PoolKind::workspace});
  add.buffers = {buffer("x1", 100, {0, 2}), buffer("x2", 60, {0, 2}), buffer("y", 100, {1, 3})};
  add.buffers[2].overlaps = {{0, 0}, {1, 0}};
  normalise(add, "add");
  EXPECT_EQ(lower_bound(add), 160);
  EXPECT_EQ(test::run(add, "exact").total_size(), 160);
  EXPECT_EQ(brute_force(add), 160);
  // SPLIT: x read once by an operator writing y1 and y2, both allowed on x at distance 0.
  Problem split;
  split.pools.push_back({"sram", std::nullopt, 1, PoolKind::workspace});
  split.buffers = {buffer("x", 100, {0, 2}), buffer("y1", 50, {1, 3}), buffer("y2", 50, {1, 3})};
  split.buffers[1].overlaps = {{0, 0}};
  split.buffers[2].overlaps = {{0, 0}};
  normalise(split, "split");
  EXPECT_LE(lower_bound(split), brute_force(split));
  EXPECT_GE(lower_bound(split), 100);
  EXPECT_EQ(test::run(split, "exact").total_size(), brute_force(split));
}

TEST(Overlap, ExactEqualsExhaustiveSearchAndTheBoundIsBelowIt) {
  int with_savings = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    const Problem p = random_problem(seed);
    const Bytes optimum = brute_force(p);
    const Plan exact = test::run(p, "exact", 5.0);
    EXPECT_EQ(exact.total_size(), optimum) << "seed " << seed;
    EXPECT_TRUE(exact.optimal) << "seed " << seed;
    EXPECT_LE(lower_bound(p), optimum) << "seed " << seed;
    EXPECT_GE(test::run(p, "best_fit_by_size").total_size(), optimum);
    EXPECT_GE(test::run(p, "auto").total_size(), optimum);
    Problem plain = p;
    for (Buffer& b : plain.buffers) b.overlaps.clear();
    with_savings += brute_force(plain) > optimum ? 1 : 0;
  }
  EXPECT_GT(with_savings, 30);  // the instances do exercise the allowances
}

TEST(Overlap, ExactWithCapacityFitsOrProves) {
  // Each pair needs 80 bytes, but a chain at d = 16 must step down 16 bytes per operator: three
  // tensors need 96 (the bound, 80, is not reached).
  const Problem p = chain({64, 64, 64}, 16);
  EXPECT_EQ(lower_bound(p), 80);
  EXPECT_EQ(brute_force(p), 96);
  Problem tight = p;
  apply_capacity(tight, 96);
  EXPECT_EQ(test::run(tight, "exact").total_size(), 96);
  Problem too_tight = p;
  apply_capacity(too_tight, 95);
  EXPECT_THROW(test::run(too_tight, "exact"), NoSolution);
  EXPECT_EQ(test::run(p, "exact").total_size(), 96);
  EXPECT_TRUE(test::run(p, "exact").optimal);  // proven by the search, not by the bound
}

}  // namespace
}  // namespace arenaplan
