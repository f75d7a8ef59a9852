// bench_solve_call PROBLEM ALGORITHM [REPEATS] [TIME_LIMIT]: the wall time of each solve() call
// on a problem read once, one line per call (bench/python_overhead.py compares it with Python).
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "arenaplan/algorithm.h"
#include "arenaplan/error.h"
#include "arenaplan/io.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_solve_call PROBLEM ALGORITHM [REPEATS] [TIME_LIMIT]\n");
    return 2;
  }
  try {
    const arenaplan::Problem problem = arenaplan::read_problem(argv[1], std::cerr);
    arenaplan::SolveOptions options;
    options.algorithm = argv[2];
    const int repeats = argc > 3 ? std::stoi(argv[3]) : 5;
    options.time_limit_seconds = argc > 4 ? std::stod(argv[4]) : 5.0;
    for (int i = 0; i < repeats; ++i) {
      const auto start = std::chrono::steady_clock::now();
      const arenaplan::Plan plan = arenaplan::solve(problem, options);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::printf("%.6f %lld\n", seconds, static_cast<long long>(plan.total_size()));
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_solve_call: %s\n", e.what());
    return 2;
  }
  return 0;
}
