// bench_schedule [MODEL...|DIR...]: for every model (.tflite or .onnx), whether it is branched (has
// more than one operator order), the schedule's peak in file order and in the chosen order, the
// bounds for any order (the most one operator needs; the exact search's proven optimum), the
// arena planned in both orders, and the scheduling time; then random branched programs of 100 to
// 2,000 operators (search time at scale).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/onnx.h"
#include "arenaplan/schedule.h"
#include "schedule/memory_dag.h"

namespace {

using namespace arenaplan;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// More than one order exists unless every operator reads an output of the one before it.
bool branched(const Graph& graph) {
  for (std::size_t k = 1; k < graph.operators.size(); ++k) {
    const auto& before = graph.operators[k - 1].outputs;
    bool reads = false;
    for (const std::int32_t t : graph.operators[k].inputs)
      reads = reads || std::find(before.begin(), before.end(), t) != before.end();
    if (!reads) return true;
  }
  return false;
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void model_row(const fs::path& path) {
  Graph graph;
  try {
    graph = read_model(path.string());
  } catch (const std::exception& e) {
    std::cout << fmt::format("| {} | not read: {} |\n", path.filename().string(), e.what());
    return;
  }
  LoweringOptions lowering;
  lowering.kernels = "arenaplan";
  const auto start = Clock::now();
  const ScheduleResult s = schedule_operators(graph, lowering, ScheduleOptions{});
  const double took = seconds_since(start);
  SolveOptions solving;
  solving.time_limit_seconds = 1;
  const Bytes file_arena = plan_model(graph, lowering, solving).arena_bytes();
  const Bytes chosen_arena = s.reordered ? plan_model(s.graph, lowering, solving).arena_bytes() : file_arena;
  const std::string optimum = s.method == "exact" ? fmt::to_string(s.any_order_bound) : "-";
  std::cout << fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.3f} |\n",
                           path.filename().string(), graph.operators.size(), branched(graph) ? "yes" : "no",
                           s.file_order_peak, s.chosen_peak, s.operator_bound, optimum, s.method, s.states, file_arena,
                           chosen_arena, took);
}

// A random branched program: each operator reads one to three of the last `width` storages.
schedule::MemoryDag random_program(std::mt19937_64& random, int n, int width) {
  schedule::MemoryDag dag;
  auto pick = [&](int below) { return std::uniform_int_distribution<int>(0, below - 1)(random); };
  dag.storages.push_back({Bytes{1024}, -1, false, {}});
  dag.scratch.assign(static_cast<std::size_t>(n), 0);
  dag.creates.assign(static_cast<std::size_t>(n), {});
  dag.reads.assign(static_cast<std::size_t>(n), {});
  for (int o = 0; o < n; ++o) {
    for (int r = 0, reads = 1 + pick(3); r < reads; ++r) {
      const int available = static_cast<int>(dag.storages.size());
      const int s = std::max(0, available - 1 - pick(std::min(available, width)));
      auto& rd = dag.reads[static_cast<std::size_t>(o)];
      if (std::find(rd.begin(), rd.end(), s) == rd.end()) rd.push_back(s);
    }
    dag.creates[static_cast<std::size_t>(o)].push_back(static_cast<std::int32_t>(dag.storages.size()));
    dag.storages.push_back({Bytes{64 * (1 + pick(256))}, o, false, {}});
  }
  for (int o = 0; o < n; ++o)
    for (const std::int32_t s : dag.reads[static_cast<std::size_t>(o)])
      dag.storages[static_cast<std::size_t>(s)].readers.push_back(o);
  dag.storages.back().pinned = true;
  dag.derive_dependencies();
  return dag;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<fs::path> models;
  for (int i = 1; i < argc; ++i) {
    const fs::path p(argv[i]);
    if (fs::is_directory(p)) {
      std::vector<fs::path> found;
      for (const auto& e : fs::directory_iterator(p))
        if (e.path().extension() == ".tflite" || e.path().extension() == ".onnx") found.push_back(e.path());
      std::sort(found.begin(), found.end());
      models.insert(models.end(), found.begin(), found.end());
    } else {
      models.push_back(p);
    }
  }
  if (!models.empty()) {
    std::cout << "| model | ops | branched | peak, file order | peak, chosen | bound: one operator | bound: exact "
                 "optimum | search | states | arena, file order | arena, chosen | seconds |\n"
                 "|---|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---:|\n";
    for (const fs::path& m : models) model_row(m);
  }
  std::cout << "\n| random program | ops | width | peak, file order | greedy | exact | states | seconds | beam | beam "
               "width | seconds |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  std::mt19937_64 random(1);
  for (const int n : {100, 300, 1000, 2000})
    for (const int width : {3, 8}) {
      const schedule::MemoryDag dag = random_program(random, n, width);
      const auto start = Clock::now();
      std::vector<std::int32_t> file(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) file[static_cast<std::size_t>(i)] = i;
      const Bytes file_peak = schedule::peak_of_order(dag, file);
      const Bytes greedy = schedule::peak_of_order(dag, schedule::greedy_order(dag));
      const auto exact = schedule::exact_order(dag, std::min(file_peak, greedy), 1'000'000);
      const std::string exact_text = !exact.finished       ? "stopped"
                                     : exact.order.empty() ? "no better order"
                                                           : std::to_string(exact.peak);
      const double exact_seconds = seconds_since(start);
      const auto beam_start = Clock::now();
      const std::int64_t beam_width = std::clamp<std::int64_t>(50'000'000 / (std::int64_t{n} * n), 4, 1024);
      const auto beam = schedule::beam_order(dag, beam_width);
      std::cout << fmt::format("| random | {} | {} | {} | {} | {} | {} | {:.3f} | {} | {} | {:.3f} |\n", n, width,
                               file_peak, greedy, exact_text, exact.states, exact_seconds, beam.peak, beam_width,
                               seconds_since(beam_start));
    }
  return 0;
}
