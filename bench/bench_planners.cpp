// Every algorithm on every public instance: the TVM USMP cases (shared/cases/tvm) and the
// MiniMalloc / DSA benchmark sets (shared/benchmarks). Prints, per file: buffers, lower bound,
// and for each algorithm the total size, its ratio to the bound, and the time.
//   build/bench/bench_planners [SHARED_DIR=../shared] [--time-limit S=1]
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "arenaplan/algorithm.h"
#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "arenaplan/lower_bound.h"

namespace fs = std::filesystem;
using namespace arenaplan;

int main(int argc, char** argv) {
  std::string shared = "../shared";
  double time_limit = 1.0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--time-limit" && i + 1 < argc)
      time_limit = std::stod(argv[++i]);
    else
      shared = arg;
  }
  std::vector<fs::path> files;
  for (const char* dir : {"cases/tvm", "benchmarks/minimalloc/examples", "benchmarks/minimalloc/challenging",
                          "benchmarks/dsa/omnimalloc_small", "benchmarks/dsa/idealloc"}) {
    const fs::path folder = fs::path(shared) / dir;
    if (!fs::exists(folder)) continue;
    std::vector<fs::path> here;
    for (const auto& e : fs::directory_iterator(folder))
      if (e.path().extension() == ".json" || e.path().extension() == ".csv") here.push_back(e.path());
    std::sort(here.begin(), here.end());
    files.insert(files.end(), here.begin(), here.end());
  }
  if (files.empty()) {
    std::cerr << "no instances under " << shared << " (pass the shared/ folder as the first argument)\n";
    return 2;
  }
  const std::vector<std::string> algorithms = {
      "greedy_by_size",        "greedy_by_conflicts",   "hill_climb",       "first_fit_by_size", "best_fit_by_size",
      "best_fit_by_first_use", "best_fit_by_conflicts", "best_fit_by_area", "local_search",      "auto"};
  const std::vector<std::string> short_names = {"tvm_gs",   "tvm_gc",   "tvm_hc",  "ff_size", "bf_size",
                                                "bf_first", "bf_confl", "bf_area", "local",   "auto"};
  std::string header = fmt::format("| {:<44} | {:>6} | {:>11} |", "instance", "bufs", "lower bound");
  for (const auto& s : short_names) header += fmt::format(" {:>15} |", s);
  std::cout << "ratio to the lower bound (time in seconds); '-' = not run (TVM's algorithms are quadratic: "
               "skipped above 3000 buffers), 'fail' = no placement; searches limited to "
            << time_limit << " s\n\n"
            << header << "\n|" << std::string(header.size() - 2, '-') << "|\n";
  for (const fs::path& file : files) {
    std::ostringstream warnings;
    Problem problem;
    try {
      problem = read_problem(file.string(), warnings);
    } catch (const InputError& e) {
      std::cout << "| " << file.filename().string() << " | unreadable: " << e.what() << "\n";
      continue;
    }
    if (problem.buffers.empty()) continue;  // end-to-end TVM cases carry no buffers
    const Bytes bound = lower_bound(problem);
    std::string row = fmt::format("| {:<44} | {:>6} | {:>11} |",
                                  file.parent_path().filename().string() + "/" + file.filename().string(),
                                  problem.buffers.size(), bound);
    for (const std::string& name : algorithms) {
      const bool quadratic = name.rfind("greedy_by", 0) == 0 || name == "hill_climb";
      if (quadratic && problem.buffers.size() > 3000) {
        row += fmt::format(" {:>15} |", "-");
        continue;
      }
      SolveOptions options;
      options.algorithm = name;
      options.time_limit_seconds = time_limit;
      try {
        const Plan plan = solve(problem, options);
        const double ratio = bound > 0 ? static_cast<double>(plan.total_size()) / static_cast<double>(bound) : 1.0;
        row += fmt::format(" {:>6.4f} ({:>6.3f}) |", ratio, plan.solve_seconds);
      } catch (const NoSolution&) { row += fmt::format(" {:>15} |", "fail"); }
    }
    std::cout << row << std::endl;
  }
  return 0;
}
