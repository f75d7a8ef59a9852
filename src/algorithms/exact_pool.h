// The exact solver for the buffers assigned to one pool: splits them into independent parts,
// then either fits them within the pool's limit (or proves they cannot fit) or minimises the
// pool's size, aiming at the lower bound first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arenaplan/algorithm.h"
#include "arenaplan/plan.h"
#include "arenaplan/problem.h"

namespace arenaplan::exact {

// Largest parts searched: general conflict graphs (explicit conflicts) and timelines.
constexpr std::size_t kConflictLimit = 64;
constexpr std::size_t kIntervalLimit = 5000;

struct PoolTask {
  std::int32_t pool = 0;
  std::vector<std::int32_t> buffers;  // buffer indices assigned to this pool
  std::optional<Bytes> limit;         // capacity mode when set and `minimise` is false
  bool minimise = true;               // find the smallest size (below `limit` when set)
  const Plan* incumbent = nullptr;    // a plan placing `buffers` in this pool, or null
  std::uint64_t seed = 0;
  unsigned threads = 1;       // for the exact search's rounds (exact_driver.h)
  bool refuse_large = false;  // a part beyond the exact search is an error (too_large)
};

enum class PoolStatus { solved, infeasible, timeout, too_large };

struct PoolResult {
  PoolStatus status = PoolStatus::solved;
  std::vector<Bytes> offsets;  // per task buffer, when solved
  Bytes size = 0;              // highest end
  Bytes bound = 0;             // proven: no valid placement is smaller
  bool optimal = false;        // size == bound
  std::string message;         // for the other statuses
};

PoolResult solve_pool(const Problem& problem, const PoolTask& task, const Budget& budget);

}  // namespace arenaplan::exact
