// How planning time grows with the number of buffers (1k .. 1M interval buffers, about 64 live
// at any step): gap filling by first use (the timeline sweep) and by size (interval-tree
// neighbour queries), plus the lower bound and the checker. Google Benchmark reports the fitted
// complexity. Run: build/bench/bench_scale
#include <benchmark/benchmark.h>

#include <map>
#include <random>

#include "algorithms/gap_fill_algorithms.h"
#include "arenaplan/checker.h"
#include "arenaplan/lower_bound.h"

namespace {

using namespace arenaplan;

Problem make_problem(std::int64_t n) {
  std::mt19937_64 rng(42);
  Problem p;
  p.pools.push_back({"ws", std::nullopt, 1, PoolKind::workspace});
  p.buffers.resize(static_cast<std::size_t>(n));
  const Step span = std::max<Step>(1, n / 4);
  for (std::int64_t i = 0; i < n; ++i) {
    Buffer& b = p.buffers[static_cast<std::size_t>(i)];
    b.name = std::to_string(i);
    b.size = 16 * static_cast<Bytes>(1 + rng() % 1024);
    b.alignment = 16;
    const Step first = static_cast<Step>(rng() % static_cast<std::uint64_t>(span));
    b.live = {{first, first + 1 + static_cast<Step>(rng() % 31)}};
    b.pools = {0};
  }
  normalise(p, "generated");
  return p;
}

const Problem& cached(std::int64_t n) {
  static std::map<std::int64_t, Problem> problems;
  auto it = problems.find(n);
  if (it == problems.end()) it = problems.emplace(n, make_problem(n)).first;
  return it->second;
}

void run_gap_fill(benchmark::State& state, detail::Fit fit, detail::Ordering ordering) {
  const Problem& p = cached(state.range(0));
  Bytes size = 0;
  for (auto _ : state) {
    const auto placed = detail::run_gap_fill(p, fit, ordering);
    size = placed.plan.total_size();
    benchmark::DoNotOptimize(size);
  }
  state.SetComplexityN(state.range(0));
  state.counters["ratio_to_bound"] = static_cast<double>(size) / static_cast<double>(lower_bound(p));
}

void BM_BestFitByFirstUse(benchmark::State& s) { run_gap_fill(s, detail::Fit::best, detail::Ordering::first_use); }
void BM_FirstFitByFirstUse(benchmark::State& s) { run_gap_fill(s, detail::Fit::first, detail::Ordering::first_use); }
void BM_BestFitBySize(benchmark::State& s) { run_gap_fill(s, detail::Fit::best, detail::Ordering::size); }

void BM_LowerBound(benchmark::State& state) {
  const Problem& p = cached(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(lower_bound(p));
  state.SetComplexityN(state.range(0));
}

void BM_Checker(benchmark::State& state) {
  const Problem& p = cached(state.range(0));
  Plan plan = detail::run_gap_fill(p, detail::Fit::best, detail::Ordering::first_use).plan;
  for (auto _ : state) benchmark::DoNotOptimize(check_plan(p, plan));
  state.SetComplexityN(state.range(0));
}

#define SCALE RangeMultiplier(10)->Range(1000, 1000000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oNLogN)
BENCHMARK(BM_BestFitByFirstUse)->SCALE;
BENCHMARK(BM_FirstFitByFirstUse)->SCALE;
BENCHMARK(BM_BestFitBySize)->SCALE;
BENCHMARK(BM_LowerBound)->SCALE;
BENCHMARK(BM_Checker)->SCALE;

}  // namespace

BENCHMARK_MAIN();
