// The algorithm registry: every algorithm takes a Problem and returns a Plan, chosen by name.
// Users register their own with register_algorithm().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arenaplan/plan.h"
#include "arenaplan/problem.h"

namespace arenaplan {

struct SolveOptions {
  std::string algorithm = "auto";
  double time_limit_seconds = 5.0;  // budget for searching algorithms
  std::uint64_t seed = 0;
};

// A point in time after which searching algorithms return the best plan they have.
class Deadline {
 public:
  explicit Deadline(double seconds_from_now);
  bool passed() const;
  double seconds_left() const;

 private:
  std::chrono::steady_clock::time_point end_;
};

struct AlgorithmContext {
  const SolveOptions& options;
  Bytes lower_bound;  // a plan whose total size meets it is optimal
  Deadline deadline;
};

// Returns a complete plan (placements for every buffer), or throws NoSolution when the pool
// limits cannot be met. Pool sizes, lower bound and timing are filled in by solve().
using AlgorithmFn = std::function<Plan(const Problem&, const AlgorithmContext&)>;

struct AlgorithmInfo {
  std::string name;
  std::string summary;
  AlgorithmFn run;
};

// Adds (or replaces) an algorithm under info.name.
void register_algorithm(AlgorithmInfo info);
const AlgorithmInfo* find_algorithm(std::string_view name);
std::vector<const AlgorithmInfo*> registered_algorithms();  // sorted by name

// Lowers every workspace pool's limit to `capacity` (pools without a limit get it).
void apply_capacity(Problem& problem, Bytes capacity);

// Runs the named algorithm on a normalised problem, fills in pool sizes, lower bound and time,
// and verifies the result with the independent checker (a failed check is an internal error).
// Throws InputError for an unknown algorithm and NoSolution when nothing fits.
Plan solve(const Problem& problem, const SolveOptions& options);

}  // namespace arenaplan
