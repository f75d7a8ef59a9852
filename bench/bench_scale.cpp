// How planning time grows with the number of buffers (1k .. 1M interval buffers, about 64 live
// at any step): gap filling by first use (the timeline sweep) and by size (interval-tree
// neighbour queries), plus the lower bound and the checker. Google Benchmark reports the fitted
// complexity. Run: build/bench/bench_scale
// With --baseline OLD_ARENAPLAN [--binary NEW_ARENAPLAN] it writes the same problems as MiniMalloc
// CSV and prints, instead, an older binary beside this one in the same run: the solve time each
// report gives for the three gap-filling members, and the wall time of `check` on the plan.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "algorithms/gap_fill_algorithms.h"
#include "arenaplan/checker.h"
#include "arenaplan/lower_bound.h"
#include "cli_run.h"

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

void write_csv(const Problem& p, const std::filesystem::path& file) {
  std::ofstream out(file);
  out << "id,lower,upper,size\n";
  for (std::size_t i = 0; i < p.buffers.size(); ++i) {
    const Buffer& b = p.buffers[i];
    out << i << ',' << b.live.front().first << ',' << b.live.front().last << ',' << b.size << '\n';
  }
}

int side_by_side(const std::string& old_binary, const std::string& new_binary) {
  namespace fs = std::filesystem;
  std::cout << fmt::format("old = {}, new = {}; seconds\n\n", old_binary, new_binary);
  std::cout << "| buffers | step | old | new | new/old | same total |\n|--:|---|--:|--:|--:|---|\n";
  for (std::int64_t n = 1000; n <= 1000000; n *= 10) {
    const fs::path csv = bench::scratch(fmt::format("scale_{}.csv", n)), plan = bench::scratch("plan.json");
    write_csv(cached(n), csv);
    for (const char* member : {"best_fit_by_first_use", "first_fit_by_first_use", "best_fit_by_size"}) {
      const std::vector<std::string> args{"--algorithm", member, "--threads", "1"};
      const bench::SolveRun old_run = bench::run_solve(old_binary, csv.string(), args);
      const bench::SolveRun new_run = bench::run_solve(new_binary, csv.string(), args);
      if (!old_run.ok || !new_run.ok) {
        std::cout << fmt::format("| {} | {} | {} | {} | | |\n", n, member, old_run.ok ? "" : old_run.error,
                                 new_run.ok ? "" : new_run.error);
        continue;
      }
      std::cout << fmt::format("| {} | {} | {:.4f} | {:.4f} | {:.2f} | {} |\n", n, member, old_run.solve_seconds,
                               new_run.solve_seconds, new_run.solve_seconds / std::max(1e-9, old_run.solve_seconds),
                               old_run.total == new_run.total ? "yes" : "no");
    }
    // `check` of one plan (the new binary's), both binaries: wall time of the whole process.
    bench::run_binary(new_binary, {"solve", csv.string(), "--algorithm", "best_fit_by_first_use", "-o", plan.string()});
    const bench::Run old_check = bench::run_binary(old_binary, {"check", csv.string(), plan.string()});
    const bench::Run new_check = bench::run_binary(new_binary, {"check", csv.string(), plan.string()});
    std::cout << fmt::format("| {} | check (wall) | {:.4f}{} | {:.4f}{} | {:.2f} | |\n", n, old_check.wall_seconds,
                             old_check.status == 0 ? "" : " (failed)", new_check.wall_seconds,
                             new_check.status == 0 ? "" : " (failed)",
                             new_check.wall_seconds / std::max(1e-9, old_check.wall_seconds));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) != "--baseline") continue;
    CLI::App app{"old beside new: gap filling and check from 1k to 1M buffers"};
    std::string baseline, binary = bench::sibling_binary(argv[0]);
    app.add_option("--baseline", baseline, "an older arenaplan binary")->required();
    app.add_option("--binary", binary, "the arenaplan binary to measure")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    return side_by_side(baseline, binary);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
