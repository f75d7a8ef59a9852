// The algorithm registry: every algorithm takes a Problem and returns a Plan, chosen by name.
// Users register their own with register_algorithm().
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arenaplan/budget.h"
#include "arenaplan/plan.h"
#include "arenaplan/problem.h"

namespace arenaplan {

// What a searching algorithm reports now and then (SolveOptions::on_progress).
struct SolveProgress {
  double elapsed_seconds = 0.0;  // since solve() started
  Bytes best_total = 0;          // total size of the best valid plan found so far
  Bytes lower_bound = 0;
};

struct SolveOptions {
  std::string algorithm = "auto";
  // A hard deadline for the whole solve, and (unless work_limit is set or wall_clock) the source
  // of the work budget: time_limit_seconds * kWorkUnitsPerSecond work units.
  double time_limit_seconds = 5.0;
  std::optional<std::int64_t> work_limit;  // work units for searching algorithms
  bool wall_clock = false;                 // stop on the deadline only (faster machines search more)
  std::uint64_t seed = 0;
  // Threads for the portfolio's members (0: the machine's cores). Each member has a fixed work
  // budget of its own, so the plan depends on this number but not on timing.
  unsigned threads = 0;
  // Optional: called by searching algorithms (on the solving thread) when they find a better
  // plan and now and then while they search. Keep it cheap; throttle inside if need be.
  std::function<void(const SolveProgress&)> on_progress;
  // Optional: once *stop is true (e.g. set from a SIGINT handler), the solve's Budget and every
  // part of it are exhausted, so searches return the best valid plan they have.
  const std::atomic<bool>* stop = nullptr;
};

// The Budget of a solve with these options (see budget.h).
Budget make_budget(const SolveOptions& options);

struct AlgorithmContext {
  const SolveOptions& options;
  Bytes lower_bound;  // a plan whose total size meets it is optimal
  Budget budget;      // searching algorithms poll budget.exhausted() and charge their work
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();

  // Passes the best total so far to options.on_progress, if set.
  void report_progress(Bytes best_total) const;
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
