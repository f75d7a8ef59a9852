// bench_time_limits PROBLEM SECONDS [wall-clock]: how long solve() takes against its --time-limit
// on a problem read once (the read is not budgeted, so it is timed apart). One line:
// read seconds, solve() seconds (lower bound, search and checker), over the limit, stopped_by.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "arenaplan/algorithm.h"
#include "arenaplan/io.h"

namespace {

double since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_time_limits PROBLEM SECONDS [wall-clock]\n");
    return 2;
  }
  try {
    arenaplan::InputLimits limits;
    limits.max_buffers = 2'000'000;
    const auto read_start = std::chrono::steady_clock::now();
    const arenaplan::Problem problem = arenaplan::read_problem(argv[1], std::cerr, limits);
    const double read_seconds = since(read_start);
    arenaplan::SolveOptions options;
    options.time_limit_seconds = std::stod(argv[2]);
    options.wall_clock = argc > 3 && std::strcmp(argv[3], "wall-clock") == 0;
    const auto start = std::chrono::steady_clock::now();
    const arenaplan::Plan plan = arenaplan::solve(problem, options);
    const double seconds = since(start);
    std::printf("read %.2f solve %.2f over %+.2f %s total %lld\n", read_seconds, seconds,
                seconds - options.time_limit_seconds, std::string(arenaplan::to_string(plan.stopped_by)).c_str(),
                static_cast<long long>(plan.total_size()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_time_limits: %s\n", e.what());
    return 2;
  }
  return 0;
}
