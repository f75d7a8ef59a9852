// Benchmark of the exact solver on the public DSA instances (run by hand; reads ../shared), an
// older arenaplan binary beside this one in the same run.
//   bench_exact [BENCHMARKS_DIR] [--baseline OLD_ARENAPLAN] [--binary NEW_ARENAPLAN] [--threads N]
// BENCHMARKS_DIR defaults to ../shared/benchmarks (from the repository root), NEW_ARENAPLAN to the
// arenaplan built beside this program. Tables: (1) MiniMalloc's challenging suite decided at
// capacity 1048576 with `exact`; (2) the same files minimised by `auto` with 3 s each; (3) the
// ../dsa instances minimised by `auto` with 10 s each. Every binary runs `solve --format json`
// (its own checker verifies each plan); the seconds are the solve time its report gives.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli_run.h"

namespace fs = std::filesystem;
using arenaplan::bench::run_solve;
using arenaplan::bench::SolveRun;

namespace {

struct Binary {
  std::string label;  // old / new
  std::string path;
};

std::vector<fs::path> csv_files(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".csv") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::size_t buffer_count(const fs::path& csv) {  // lines after the header
  std::ifstream in(csv);
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);) lines += line.empty() ? 0 : 1;
  return lines > 0 ? lines - 1 : 0;
}

void capacity_table(const fs::path& dir, const std::vector<Binary>& binaries, const std::vector<std::string>& extra) {
  const std::string capacity = "1048576";
  std::cout << fmt::format("\n## Decision at capacity {} (`exact`, limit 60 s)\n\n", capacity);
  std::cout << "| instance | buffers | binary | result | peak | solve (s) |\n|---|--:|---|---|--:|--:|\n";
  struct Sum {
    double total = 0, worst = 0;
    int solved = 0, count = 0;
  };
  std::map<std::string, Sum> sums;
  for (const fs::path& file : csv_files(dir)) {
    for (const Binary& b : binaries) {
      std::vector<std::string> args{"--algorithm", "exact", "--capacity", capacity, "--time-limit", "60"};
      args.insert(args.end(), extra.begin(), extra.end());
      const SolveRun r = run_solve(b.path, file.string(), args);
      const double seconds = r.ok ? r.solve_seconds : r.wall_seconds;
      Sum& s = sums[b.label];
      s.total += seconds;
      s.worst = std::max(s.worst, seconds);
      s.solved += r.ok ? 1 : 0;
      ++s.count;
      std::cout << fmt::format("| {} | {} | {} | {} | {} | {:.3f}{} |\n", file.stem().string(), buffer_count(file),
                               b.label, r.ok ? "fits" : r.error, r.ok ? std::to_string(r.total) : "-", seconds,
                               r.ok ? "" : " (wall)");
    }
  }
  std::cout << "\n";
  for (const Binary& b : binaries) {
    const Sum& s = sums[b.label];
    std::cout << fmt::format("{}: solved {}/{}, total {:.3f} s, slowest {:.3f} s\n", b.label, s.solved, s.count,
                             s.total, s.worst);
  }
}

void minimise_table(const std::string& title, const std::vector<fs::path>& files, double limit,
                    const std::vector<Binary>& binaries, const std::vector<std::string>& extra) {
  std::cout << fmt::format("\n## {} (`auto`, {} s each, no capacity)\n\n", title, limit);
  std::cout
      << "| instance | buffers | binary | peak | lower bound | peak/LB | proven optimal | algorithm | solve (s) |\n"
         "|---|--:|---|--:|--:|--:|---|---|--:|\n";
  struct Sum {
    double ratios = 0;
    int count = 0, proven = 0;
  };
  std::map<std::string, Sum> sums;
  for (const fs::path& file : files) {
    for (const Binary& b : binaries) {
      std::vector<std::string> args{"--time-limit", fmt::format("{}", limit)};
      args.insert(args.end(), extra.begin(), extra.end());
      const SolveRun r = run_solve(b.path, file.string(), args);
      if (!r.ok) {
        std::cout << fmt::format("| {} | {} | {} | error: {} | | | | | {:.3f} (wall) |\n", file.stem().string(),
                                 buffer_count(file), b.label, r.error, r.wall_seconds);
        continue;
      }
      const double ratio = static_cast<double>(r.total) / static_cast<double>(std::max<std::int64_t>(1, r.lower_bound));
      Sum& s = sums[b.label];
      s.ratios += ratio;
      ++s.count;
      s.proven += r.optimal ? 1 : 0;
      std::cout << fmt::format("| {} | {} | {} | {} | {} | {:.4f} | {} | {} | {:.3f} |\n", file.stem().string(),
                               buffer_count(file), b.label, r.total, r.lower_bound, ratio, r.optimal ? "yes" : "no",
                               r.algorithm, r.solve_seconds);
    }
  }
  std::cout << "\n";
  for (const Binary& b : binaries) {
    const Sum& s = sums[b.label];
    if (s.count > 0)
      std::cout << fmt::format("{}: mean peak/LB {:.4f}, proven optimal {}/{}\n", b.label, s.ratios / s.count, s.proven,
                               s.count);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"the exact solver and auto on the public DSA instances, an older binary beside this one"};
  std::string root = "../shared/benchmarks", baseline, binary = arenaplan::bench::sibling_binary(argv[0]);
  unsigned threads = 0;
  app.add_option("BENCHMARKS_DIR", root, "the shared benchmarks folder");
  app.add_option("--baseline", baseline, "an older arenaplan binary, run beside this one");
  app.add_option("--binary", binary, "the arenaplan binary to measure")->capture_default_str();
  app.add_option("--threads", threads, "--threads for every solve (0: the machine's cores)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  const fs::path challenging = fs::path(root) / "minimalloc" / "challenging";
  if (csv_files(challenging).empty()) {
    std::cerr << "bench_exact: no CSV files in " << challenging << " (pass the benchmarks directory)\n";
    return 2;
  }
  std::vector<Binary> binaries;
  if (!baseline.empty()) binaries.push_back({"old", baseline});
  binaries.push_back({"new", binary});
  const std::vector<std::string> extra{"--threads", std::to_string(threads)};
  std::cout << "binaries:";
  for (const Binary& b : binaries) std::cout << " " << b.label << " = " << b.path;
  std::cout << fmt::format("; --threads {}\n", threads);
  capacity_table(challenging, binaries, extra);
  minimise_table("Minimise, MiniMalloc challenging suite", csv_files(challenging), 3.0, binaries, extra);
  std::vector<fs::path> dsa = csv_files(fs::path(root) / "dsa" / "idealloc");
  for (const fs::path& f : csv_files(fs::path(root) / "dsa" / "omnimalloc_small")) dsa.push_back(f);
  minimise_table("Minimise, ../dsa instances", dsa, 10.0, binaries, extra);
  return 0;
}
