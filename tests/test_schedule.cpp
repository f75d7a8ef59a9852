// Memory-aware scheduling: the exact search against exhaustive search on random DAGs, the greedy
// order and the bounds, and a branched model whose chosen order is planned, compiled and run.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numeric>
#include <random>
#include <unordered_map>

#include "arenaplan/error.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/schedule.h"
#include "arenaplan/tflite.h"
#include "cli_runner.h"
#include "schedule/memory_dag.h"
#include "tflite_builder.h"

namespace arenaplan {
namespace {

using schedule::MemoryDag;

// A random program: each operator writes one storage and reads one to three earlier ones (or
// graph inputs); some storages are graph outputs, some operators have scratch.
MemoryDag random_dag(std::mt19937_64& random, int n) {
  MemoryDag dag;
  auto pick = [&](int below) { return std::uniform_int_distribution<int>(0, below - 1)(random); };
  const int inputs = 1 + pick(2);
  for (int i = 0; i < inputs; ++i) dag.storages.push_back({Bytes{1 + pick(64)}, -1, false, {}});
  dag.scratch.assign(static_cast<std::size_t>(n), 0);
  dag.creates.assign(static_cast<std::size_t>(n), {});
  dag.reads.assign(static_cast<std::size_t>(n), {});
  for (int o = 0; o < n; ++o) {
    const int reads = 1 + pick(3);
    for (int r = 0; r < reads; ++r) {
      // Mostly recent storages, so that the graphs are branched but not too wide.
      const int available = static_cast<int>(dag.storages.size());
      const int s = std::max(0, available - 1 - pick(std::min(available, 5)));
      auto& rd = dag.reads[static_cast<std::size_t>(o)];
      if (std::find(rd.begin(), rd.end(), s) == rd.end()) rd.push_back(s);
    }
    if (pick(4) == 0) dag.scratch[static_cast<std::size_t>(o)] = 1 + pick(32);
    dag.creates[static_cast<std::size_t>(o)].push_back(static_cast<std::int32_t>(dag.storages.size()));
    dag.storages.push_back({Bytes{1 + pick(100)}, o, pick(8) == 0, {}});
  }
  for (int o = 0; o < n; ++o)
    for (const std::int32_t s : dag.reads[static_cast<std::size_t>(o)])
      dag.storages[static_cast<std::size_t>(s)].readers.push_back(o);
  dag.storages.back().pinned = true;  // the last operator's output is a graph output
  dag.derive_dependencies();
  return dag;
}

std::vector<std::int32_t> file_order(const MemoryDag& dag) {
  std::vector<std::int32_t> order(static_cast<std::size_t>(dag.operators()));
  std::iota(order.begin(), order.end(), 0);
  return order;
}

bool topological(const MemoryDag& dag, const std::vector<std::int32_t>& order) {
  std::vector<char> done(static_cast<std::size_t>(dag.operators()), 0);
  for (const std::int32_t o : order) {
    for (const std::int32_t p : dag.after[static_cast<std::size_t>(o)])
      if (!done[static_cast<std::size_t>(p)]) return false;
    done[static_cast<std::size_t>(o)] = 1;
  }
  return order.size() == done.size();
}

// Exhaustive search, written independently of the scheduler: the least peak to finish from a set
// of finished operators, by recursion over the next operator, each order's bytes recomputed
// from the set. Memoised on the set (a 32-bit mask).
class Exhaustive {
 public:
  explicit Exhaustive(const MemoryDag& dag) : dag_(dag) {}
  Bytes best() { return from(0); }

 private:
  Bytes live(std::uint32_t done) const {
    Bytes bytes = 0;
    for (const auto& s : dag_.storages) {
      const bool exists = s.creator < 0 || ((done >> s.creator) & 1U);
      bool needed = s.pinned || (s.creator < 0 && s.readers.empty());  // an input nobody reads stays
      for (const std::int32_t r : s.readers) needed = needed || !((done >> r) & 1U);
      if (exists && needed) bytes += s.bytes;
    }
    return bytes;
  }
  Bytes from(std::uint32_t done) {
    const std::uint32_t all = dag_.operators() == 32 ? ~0U : (1U << dag_.operators()) - 1;
    if (done == all) return live(done);
    if (const auto it = memo_.find(done); it != memo_.end()) return it->second;
    Bytes best = std::numeric_limits<Bytes>::max();
    for (std::int32_t o = 0; o < dag_.operators(); ++o) {
      if ((done >> o) & 1U) continue;
      bool ready = true;
      for (const std::int32_t p : dag_.after[static_cast<std::size_t>(o)]) ready = ready && ((done >> p) & 1U);
      if (!ready) continue;
      Bytes running = live(done) + dag_.scratch[static_cast<std::size_t>(o)];
      for (const std::int32_t s : dag_.creates[static_cast<std::size_t>(o)])
        running += dag_.storages[static_cast<std::size_t>(s)].bytes;
      best = std::min(best, std::max(running, from(done | (1U << o))));
    }
    memo_[done] = best;
    return best;
  }

  const MemoryDag& dag_;
  std::unordered_map<std::uint32_t, Bytes> memo_;
};

// Every topological order, literally, for small graphs.
Bytes best_of_all_orders(const MemoryDag& dag) {
  std::vector<std::int32_t> order = file_order(dag);
  Bytes best = std::numeric_limits<Bytes>::max();
  do {
    if (topological(dag, order)) best = std::min(best, schedule::peak_of_order(dag, order));
  } while (std::next_permutation(order.begin(), order.end()));
  return best;
}

TEST(Schedule, ExactSearchEqualsExhaustiveSearchOnRandomDags) {
  std::mt19937_64 random(20261202);
  int compared = 0, literal = 0, improved = 0;
  for (int k = 0; k < 2000; ++k) {
    const int n = 1 + static_cast<int>(random() % 25);
    const MemoryDag dag = random_dag(random, n);
    const schedule::ExactResult exact = schedule::exact_order(dag, std::numeric_limits<Bytes>::max(), 5'000'000);
    ASSERT_TRUE(exact.finished);
    ASSERT_TRUE(topological(dag, exact.order)) << "dag " << k;
    ASSERT_EQ(schedule::peak_of_order(dag, exact.order), exact.peak) << "dag " << k;
    ASSERT_EQ(exact.peak, Exhaustive(dag).best()) << "dag " << k << " with " << n << " operators";
    ++compared;
    if (n <= 8) {
      ASSERT_EQ(exact.peak, best_of_all_orders(dag)) << "dag " << k;
      ++literal;
    }
    // Never below the bound for any order; never above the file or the greedy order.
    EXPECT_GE(exact.peak, schedule::any_order_bound(dag));
    const Bytes file = schedule::peak_of_order(dag, file_order(dag));
    const std::vector<std::int32_t> greedy = schedule::greedy_order(dag);
    ASSERT_TRUE(topological(dag, greedy));
    EXPECT_LE(exact.peak, std::min(file, schedule::peak_of_order(dag, greedy)));
    improved += exact.peak < file;
    // The beam search: exact when no level is cut, a valid order at any width.
    const schedule::ExactResult wide = schedule::beam_order(dag, 1'000'000);
    EXPECT_TRUE(wide.finished);
    EXPECT_EQ(wide.peak, exact.peak);
    const schedule::ExactResult narrow = schedule::beam_order(dag, 2);
    ASSERT_TRUE(topological(dag, narrow.order));
    EXPECT_EQ(schedule::peak_of_order(dag, narrow.order), narrow.peak);
    EXPECT_GE(narrow.peak, exact.peak);
  }
  EXPECT_EQ(compared, 2000);
  EXPECT_GT(literal, 100);
  EXPECT_GT(improved, 100);  // the generator makes graphs where the order matters
}

TEST(Schedule, ExactSearchWithABoundFindsOnlyBetterOrders) {
  std::mt19937_64 random(7);
  for (int k = 0; k < 300; ++k) {
    const MemoryDag dag = random_dag(random, 3 + static_cast<int>(random() % 20));
    const Bytes optimum = schedule::exact_order(dag, std::numeric_limits<Bytes>::max(), 5'000'000).peak;
    const schedule::ExactResult at = schedule::exact_order(dag, optimum, 5'000'000);
    EXPECT_TRUE(at.finished);
    EXPECT_TRUE(at.order.empty());  // nothing below the optimum
    const schedule::ExactResult above = schedule::exact_order(dag, optimum + 1, 5'000'000);
    EXPECT_EQ(above.peak, optimum);
  }
}

TEST(Schedule, StopsUnfinishedAtTheStateLimit) {
  std::mt19937_64 random(3);
  const MemoryDag dag = random_dag(random, 25);
  const schedule::ExactResult r = schedule::exact_order(dag, std::numeric_limits<Bytes>::max(), 3);
  EXPECT_FALSE(r.finished);
  EXPECT_TRUE(r.order.empty());
}

// x -> two branches, each a large then a small FULLY_CONNECTED, joined by ADD. In file order both
// large tensors are live at once; run branch by branch, only one is.
std::string branched_model(const std::filesystem::path& dir) {
  using test::op;
  using test::tensor;
  test::ModelSpec spec;
  auto constant = [](std::string name, std::vector<std::int32_t> shape) {
    test::TensorSpec t = tensor(std::move(name), 0, std::move(shape));
    t.constant = true;
    return t;
  };
  spec.tensors = {tensor("x", 0, {1, 64}),      constant("w_a1", {1024, 64}), tensor("a1", 0, {1, 1024}),
                  constant("w_a2", {16, 1024}), tensor("a2", 0, {1, 16}),     constant("w_b1", {1024, 64}),
                  tensor("b1", 0, {1, 1024}),   constant("w_b2", {16, 1024}), tensor("b2", 0, {1, 16}),
                  tensor("y", 0, {1, 16})};
  constexpr int kFullyConnected = 9, kAdd = 0;
  spec.ops = {op(kFullyConnected, {0, 1, -1}, {2}), op(kFullyConnected, {0, 5, -1}, {6}),
              op(kFullyConnected, {2, 3, -1}, {4}), op(kFullyConnected, {6, 7, -1}, {8}), op(kAdd, {4, 8}, {9})};
  spec.inputs = {0};
  spec.outputs = {9};
  const auto bytes = test::build_tflite(spec);
  const std::filesystem::path path = dir / "branched.tflite";
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return path.string();
}

class ScheduledModel : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("arenaplan-schedule-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    model_ = branched_model(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::string model_;
};

TEST_F(ScheduledModel, BranchByBranchOrderLowersThePlannedArena) {
  const Graph graph = read_tflite(model_, InputLimits{});
  LoweringOptions lowering;
  lowering.kernels = "arenaplan";
  const ScheduleResult s = schedule_operators(graph, lowering, ScheduleOptions{});
  ASSERT_TRUE(s.reordered);
  EXPECT_EQ(s.method, "exact");
  EXPECT_EQ(s.order, (std::vector<std::int32_t>{0, 2, 1, 3, 4}));
  EXPECT_LT(s.chosen_peak, s.file_order_peak);
  EXPECT_EQ(s.chosen_peak, s.any_order_bound);
  // The arena planned in the chosen order is what the schedule promised, and below file order's.
  SolveOptions solving;
  const ModelPlan file = plan_model(graph, lowering, solving);
  const ModelPlan chosen = plan_model(s.graph, lowering, solving);
  EXPECT_LT(chosen.arena_bytes(), file.arena_bytes());
  EXPECT_EQ(file.arena_whole_tensor_bound(), s.file_order_peak);
  EXPECT_EQ(chosen.arena_whole_tensor_bound(), s.chosen_peak);
  // The file order when asked for.
  ScheduleOptions keep;
  keep.kind = ScheduleKind::file;
  EXPECT_FALSE(schedule_operators(graph, lowering, keep).reordered);
}

TEST_F(ScheduledModel, RunProvesTheChosenOrderAndPlanReportsBothPeaks) {
  const auto run = test::run_cli("run " + model_ + " --random-inputs 1");
  EXPECT_EQ(run.status, 0) << run.out;
  const auto plan = test::run_cli("plan " + model_ + " --kernels arenaplan --no-timing");
  EXPECT_EQ(plan.status, 0) << plan.out;
  EXPECT_NE(plan.out.find("memory-aware (exact)"), std::string::npos) << plan.out;
  const auto file = test::run_cli("plan " + model_ + " --kernels arenaplan --schedule file --no-timing");
  EXPECT_EQ(file.out.find("memory-aware"), std::string::npos) << file.out;
  EXPECT_NE(plan.out, file.out);
}

TEST_F(ScheduledModel, MemoryScheduleWithTfliteMicroKernelsIsRefused) {
  const auto r = test::run_cli("plan " + model_ + " --kernels reference --schedule memory");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("--kernels arenaplan"), std::string::npos) << r.out;
}

TEST(Schedule, AnOrderThatBreaksADependencyIsRefused) {
  Graph g;
  g.source = "g";
  g.tensors.resize(3);
  g.operators.resize(2);
  g.operators[0].opcode = "A";
  g.operators[0].inputs = {0};
  g.operators[0].outputs = {1};
  g.operators[1].opcode = "B";
  g.operators[1].inputs = {1};
  g.operators[1].outputs = {2};
  EXPECT_THROW(with_operator_order(g, {1, 0}), InputError);
  EXPECT_THROW(with_operator_order(g, {0, 0}), InputError);
  EXPECT_THROW(with_operator_order(g, {0}), InputError);
  EXPECT_EQ(with_operator_order(g, {0, 1}).operators[1].opcode, "B");
}

}  // namespace
}  // namespace arenaplan
