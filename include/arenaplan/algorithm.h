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
  double time_limit_seconds = 5.0;  // budget for searching algorithms
  std::uint64_t seed = 0;
  // Optional: called by searching algorithms (on the solving thread) when they find a better
  // plan and now and then while they search. Keep it cheap; throttle inside if need be.
  std::function<void(const SolveProgress&)> on_progress;
  // Optional: once *stop is true (e.g. set from a SIGINT handler), every Deadline made during the
  // solve has passed, so searches return the best valid plan they have.
  const std::atomic<bool>* stop = nullptr;
};

// A point in time after which searching algorithms return the best plan they have.
// A Deadline made while solve() runs also passes as soon as SolveOptions::stop is set, so every
// algorithm that polls passed() (including on deadlines it makes itself) honours a stop request.
class Deadline {
 public:
  explicit Deadline(double seconds_from_now);
  bool passed() const;  // time is up, or a stop was requested
  bool stop_requested() const;
  double seconds_left() const;  // 0 once a stop was requested

 private:
  std::chrono::steady_clock::time_point end_;
  const std::atomic<bool>* stop_ = nullptr;
};

struct AlgorithmContext {
  const SolveOptions& options;
  Bytes lower_bound;  // a plan whose total size meets it is optimal
  Deadline deadline;
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
