// Helpers shared by the tests.
#pragma once

#include <random>
#include <sstream>
#include <string>

#include "arenaplan/algorithm.h"
#include "arenaplan/io.h"
#include "arenaplan/problem.h"

namespace arenaplan::test {

inline std::string data_path(const std::string& relative) { return std::string(ARENAPLAN_TEST_DATA) + "/" + relative; }

inline Problem load(const std::string& relative) {
  std::ostringstream warnings;
  return read_problem(data_path(relative), warnings);
}

inline Plan run(const Problem& problem, const std::string& algorithm, double time_limit = 2.0, std::uint64_t seed = 0) {
  SolveOptions options;
  options.algorithm = algorithm;
  options.time_limit_seconds = time_limit;
  options.seed = seed;
  return solve(problem, options);
}

// A one-pool problem from (first, last, size) triples.
inline Problem intervals(std::initializer_list<std::tuple<Step, Step, Bytes>> buffers,
                         std::optional<Bytes> limit = {}) {
  Problem p;
  p.pools.push_back({"pool", limit, 1, PoolKind::workspace});
  int k = 0;
  for (const auto& [first, last, size] : buffers) {
    Buffer b;
    b.name = "b" + std::to_string(k++);
    b.size = size;
    b.live = {{first, last}};
    b.pools = {0};
    p.buffers.push_back(b);
  }
  normalise(p, "test");
  return p;
}

// A one-pool problem of `n` random single live ranges: sizes `granule` x [1, max_units], starts
// in [0, span), lengths in [1, max_length].
inline Problem random_intervals(std::uint64_t seed, int n, Bytes granule, Bytes max_units, Step span, Step max_length) {
  std::mt19937_64 rng(seed);
  Problem p;
  p.pools.push_back({"ws", std::nullopt, 1, PoolKind::workspace});
  for (int i = 0; i < n; ++i) {
    Buffer b;
    b.name = std::to_string(i);
    b.size = granule * static_cast<Bytes>(1 + rng() % static_cast<std::uint64_t>(max_units));
    const Step first = static_cast<Step>(rng() % static_cast<std::uint64_t>(span));
    b.live = {{first, first + 1 + static_cast<Step>(rng() % static_cast<std::uint64_t>(max_length))}};
    b.pools = {0};
    p.buffers.push_back(b);
  }
  normalise(p, "random");
  return p;
}

}  // namespace arenaplan::test
