// Benchmark of the exact solver on the public DSA instances (run by hand; reads ../shared).
//   bench_exact [BENCHMARKS_DIR]   (default ../shared/benchmarks, i.e. from the repository root)
// Tables: (1) MiniMalloc's challenging suite decided at capacity 1048576 with `exact`;
// (2) the same files minimised by `auto` with 3 s each; (3) ../dsa instances minimised by `auto`
// with 10 s each. Every plan is verified by the independent checker inside solve().
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "arenaplan/algorithm.h"
#include "arenaplan/error.h"
#include "arenaplan/io.h"

namespace fs = std::filesystem;
using namespace arenaplan;

namespace {

std::vector<fs::path> csv_files(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".csv") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Problem load(const fs::path& file) {
  std::ostringstream warnings;
  return read_problem(file.string(), warnings);
}

struct Run {
  bool ok = false;
  Plan plan;
  std::string error;
  double seconds = 0;
};

Run run(const Problem& problem, const std::string& algorithm, double limit) {
  SolveOptions options;
  options.algorithm = algorithm;
  options.time_limit_seconds = limit;
  Run r;
  const auto start = std::chrono::steady_clock::now();
  try {
    r.plan = solve(problem, options);
    r.ok = true;
  } catch (const std::exception& e) { r.error = e.what(); }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

void capacity_table(const fs::path& dir) {
  const Bytes capacity = 1048576;
  std::cout << fmt::format("\n## Decision at capacity {} (`exact`, 1 thread, limit 60 s)\n\n", capacity);
  std::cout << "| instance | buffers | result | peak | seconds |\n|---|---|---|---|---|\n";
  double total = 0, worst = 0;
  int solved = 0, count = 0;
  for (const fs::path& file : csv_files(dir)) {
    Problem p = load(file);
    apply_capacity(p, capacity);
    const Run r = run(p, "exact", 60);
    total += r.seconds;
    worst = std::max(worst, r.seconds);
    solved += r.ok ? 1 : 0;
    ++count;
    std::cout << fmt::format("| {} | {} | {} | {} | {:.3f} |\n", file.stem().string(), p.buffers.size(),
                             r.ok ? "fits" : r.error, r.ok ? std::to_string(r.plan.total_size()) : "-", r.seconds);
  }
  std::cout << fmt::format("\nsolved {}/{}, total {:.3f} s, slowest {:.3f} s\n", solved, count, total, worst);
}

void minimise_table(const std::string& title, const std::vector<fs::path>& files, double limit) {
  std::cout << fmt::format("\n## {} (`auto`, {} s each, no capacity)\n\n", title, limit);
  std::cout << "| instance | buffers | peak | lower bound | peak/LB | proven optimal | algorithm | seconds |\n"
               "|---|---|---|---|---|---|---|---|\n";
  double ratios = 0;
  int count = 0, proven = 0;
  for (const fs::path& file : files) {
    const Problem p = load(file);
    const Run r = run(p, "auto", limit);
    if (!r.ok) {
      std::cout << fmt::format("| {} | {} | error: {} | | | | | {:.3f} |\n", file.stem().string(), p.buffers.size(),
                               r.error, r.seconds);
      continue;
    }
    const double ratio =
        static_cast<double>(r.plan.total_size()) / static_cast<double>(std::max<Bytes>(1, r.plan.lower_bound));
    ratios += ratio;
    ++count;
    proven += r.plan.optimal ? 1 : 0;
    std::cout << fmt::format("| {} | {} | {} | {} | {:.4f} | {} | {} | {:.3f} |\n", file.stem().string(),
                             p.buffers.size(), r.plan.total_size(), r.plan.lower_bound, ratio,
                             r.plan.optimal ? "yes" : "no", r.plan.algorithm, r.seconds);
  }
  if (count > 0)
    std::cout << fmt::format("\nmean peak/LB {:.4f}, proven optimal {}/{}\n", ratios / count, proven, count);
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path root = argc > 1 ? fs::path(argv[1]) : fs::path("../shared/benchmarks");
  const fs::path challenging = root / "minimalloc" / "challenging";
  if (csv_files(challenging).empty()) {
    std::cerr << "bench_exact: no CSV files in " << challenging << " (pass the benchmarks directory)\n";
    return 2;
  }
  capacity_table(challenging);
  minimise_table("Minimise, MiniMalloc challenging suite", csv_files(challenging), 3.0);
  std::vector<fs::path> dsa = csv_files(root / "dsa" / "idealloc");
  for (const fs::path& f : csv_files(root / "dsa" / "omnimalloc_small")) dsa.push_back(f);
  minimise_table("Minimise, ../dsa instances", dsa, 10.0);
  return 0;
}
