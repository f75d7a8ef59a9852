// The core C++ API from C++17: build a problem, solve it, check the plan, read offsets.
#include <arenaplan/core.h>  // the umbrella; the headers below also work alone

#include <arenaplan/algorithm.h>
#include <arenaplan/checker.h>
#include <arenaplan/error.h>
#include <arenaplan/io.h>
#include <arenaplan/lower_bound.h>
#include <arenaplan/plan.h>
#include <arenaplan/problem.h>
#include <arenaplan/version.h>

#include <cstdio>

// The public headers bring no third-party headers into this translation unit.
#if defined(FMT_VERSION) || defined(NLOHMANN_JSON_VERSION_MAJOR) || defined(FLATBUFFERS_VERSION_MAJOR)
#error "an arenaplan header included fmt, nlohmann/json or flatbuffers"
#endif
static_assert(__cplusplus == 201703L, "built as C++17");

int main() {
  arenaplan::Problem problem;
  problem.pools.push_back({"sram", 1024, 16, arenaplan::PoolKind::workspace});
  const arenaplan::Bytes sizes[] = {96, 192, 288};
  const arenaplan::Interval live[] = {{0, 2}, {1, 3}, {3, 4}};
  for (int i = 0; i < 3; ++i) {
    arenaplan::Buffer b;
    b.name = "t" + std::to_string(i);
    b.size = sizes[i];
    b.alignment = 16;
    b.live = {live[i]};
    b.pools = {0};
    problem.buffers.push_back(b);
  }
  try {
    arenaplan::normalise(problem, "consumer");
    arenaplan::SolveOptions options;
    options.time_limit_seconds = 1.0;
    const arenaplan::Plan plan = arenaplan::solve(problem, options);
    if (arenaplan::check_plan(problem, plan) || plan.total_size() != 288 || arenaplan::lower_bound(problem) != 288) {
      std::fprintf(stderr, "consumer: unexpected plan (%lld bytes)\n", static_cast<long long>(plan.total_size()));
      return 1;
    }
    std::printf("C++17 consumer: arenaplan %s, %s: %lld bytes, t1 at %lld\n", ARENAPLAN_VERSION_STRING,
                plan.algorithm.c_str(), static_cast<long long>(plan.total_size()),
                static_cast<long long>(plan.placements[1].offset));
  } catch (const arenaplan::InputError& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 2;
  }
  return 0;
}
