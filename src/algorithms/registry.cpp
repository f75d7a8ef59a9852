#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "algorithms/builtins.h"
#include "arenaplan/algorithm.h"
#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "arenaplan/lower_bound.h"
#include "problem/conflict_index.h"

namespace arenaplan {
namespace {

std::map<std::string, AlgorithmInfo, std::less<>>& table() {
  static std::map<std::string, AlgorithmInfo, std::less<>> algorithms;
  return algorithms;
}

// The built-ins register themselves (through register_algorithm) on first use of the registry;
// registering from inside that first use must not wait for itself, hence the flag.
void ensure_builtins() {
  static std::once_flag once;
  static thread_local bool registering = false;
  if (registering) return;
  std::call_once(once, [] {
    registering = true;
    detail::register_gap_fill_algorithms();
    detail::register_tvm_algorithms();
    detail::register_tvm_hill_climb();
    detail::register_local_search();
    detail::register_window_search();
    detail::register_portfolio();
    detail::register_exact();
    detail::register_tflm_algorithm();
    registering = false;
  });
}

// Pre-placed buffers are not the algorithms' to move: if they overlap each other or pass a pool's
// limit, no plan exists.
void check_pre_placed(const Problem& problem) {
  std::vector<std::int32_t> fixed;
  for (std::size_t i = 0; i < problem.buffers.size(); ++i)
    if (problem.buffers[i].fixed_offset) fixed.push_back(static_cast<std::int32_t>(i));
  if (fixed.empty()) return;
  const ConflictIndex index(problem);
  for (std::int32_t i : fixed) {
    const Buffer& b = problem.buffers[i];
    const Pool& pool = problem.pools[b.pools.front()];
    if (pool.limit && *b.fixed_offset + b.size > *pool.limit)
      throw NoSolution(
          fmt::format("pre-placed buffer '{}' ends at {}, beyond the {}-byte limit of pool '{}' (lower its "
                      "fixed_offset or raise the pool's limit)",
                      b.name, *b.fixed_offset + b.size, *pool.limit, pool.name));
    index.for_each_neighbor(i, [&](std::int32_t j) {
      const Buffer& c = problem.buffers[j];
      if (j < i || !c.fixed_offset || c.pools.front() != b.pools.front() || b.size == 0 || c.size == 0) return;
      if (*b.fixed_offset < *c.fixed_offset + c.size && *c.fixed_offset < *b.fixed_offset + b.size)
        throw NoSolution(
            fmt::format("pre-placed buffers '{}' and '{}' conflict and overlap in pool '{}' (change one "
                        "fixed_offset)",
                        b.name, c.name, pool.name));
    });
  }
}

// The lower bound's greedy clique search (large explicit conflict graphs) takes at most this
// share of the budget; the rest is the algorithm's.
constexpr double kLowerBoundShare = 0.1;

// The checker runs after the search and cannot be cut, so the search leaves it time: 2 units per
// buffer, 2 + 2 log2(1 + buffers live at a step) per live range (its sweep keeps them in a tree),
// a tenth per conflict entry; at most half of the time limit. Measured (bench_time_limits, CPU):
// 0.12 s for the 1.3 M-buffer chain (9.4 M units), 0.07 s for 200,000 intervals (3.2 M units).
std::int64_t check_reserve(const Problem& problem, double seconds) {
  std::int64_t buffers = 0, ranges = 0, conflicts = 0;
  Step lo = 0, hi = 0, length = 0;
  for (const Buffer& b : problem.buffers) {
    ++buffers;
    conflicts += static_cast<std::int64_t>(b.conflicts.size());
    for (const Interval& r : b.live) {
      lo = ranges == 0 ? r.first : std::min(lo, r.first);
      hi = ranges == 0 ? r.last : std::max(hi, r.last);
      length += r.last - r.first;
      ++ranges;
    }
  }
  const double live = hi > lo ? static_cast<double>(length) / static_cast<double>(hi - lo) : 1.0;
  const double units = 2.0 * static_cast<double>(buffers) +
                       static_cast<double>(ranges) * (2 + 2 * std::log2(1 + live)) +
                       static_cast<double>(conflicts) / 10;
  return static_cast<std::int64_t>(std::min(units, std::min(seconds * kWorkUnitsPerSecond / 2, 9e18)));
}

// make_budget, keeping back the checker's reserve: from the deadline (at the rate the machine
// shows), and from a work budget derived from the time limit (an explicit --work-limit is the
// caller's to size).
Budget search_budget(const SolveOptions& options, const Problem& problem) {
  const std::int64_t reserve = check_reserve(problem, options.time_limit_seconds);
  SolveOptions derived = options;
  if (!options.wall_clock && !options.work_limit)
    derived.work_limit = std::max<std::int64_t>(
        0, static_cast<std::int64_t>(std::min(options.time_limit_seconds * kWorkUnitsPerSecond, 9e18)) - reserve);
  Budget budget = make_budget(derived);
  budget.reserve(reserve);
  return budget;
}

}  // namespace

Budget make_budget(const SolveOptions& options) {
  const double seconds = options.time_limit_seconds;
  if (options.wall_clock) return Budget(-1, seconds, options.stop);
  const double derived = std::min(seconds * kWorkUnitsPerSecond, 9e18);
  return Budget(std::max<std::int64_t>(0, options.work_limit.value_or(static_cast<std::int64_t>(derived))), seconds,
                options.stop);
}

void AlgorithmContext::report_progress(Bytes best_total) const {
  if (!options.on_progress) return;
  options.on_progress(
      {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), best_total, lower_bound});
}

void register_algorithm(AlgorithmInfo info) {
  ensure_builtins();
  std::string name = info.name;
  table()[name] = std::move(info);
}

const AlgorithmInfo* find_algorithm(std::string_view name) {
  ensure_builtins();
  auto it = table().find(name);
  return it == table().end() ? nullptr : &it->second;
}

std::vector<const AlgorithmInfo*> registered_algorithms() {
  ensure_builtins();
  std::vector<const AlgorithmInfo*> out;
  for (const auto& [name, info] : table()) out.push_back(&info);
  return out;
}

void apply_capacity(Problem& problem, Bytes capacity) {
  for (Pool& pool : problem.pools) {
    if (pool.kind != PoolKind::workspace) continue;
    pool.limit = pool.limit ? std::min(*pool.limit, capacity) : capacity;
  }
}

Plan solve(const Problem& problem, const SolveOptions& options) {
  const AlgorithmInfo* algorithm = find_algorithm(options.algorithm);
  if (algorithm == nullptr) {
    std::string names;
    for (const AlgorithmInfo* info : registered_algorithms()) names += (names.empty() ? "" : ", ") + info->name;
    throw InputError(fmt::format("unknown algorithm '{}' (known: {})", options.algorithm, names));
  }
  const auto start = std::chrono::steady_clock::now();
  check_pre_placed(problem);
  const Budget budget = search_budget(options, problem);
  const Bytes bound = lower_bound(problem, budget.part(kLowerBoundShare));
  AlgorithmContext context{options, bound, budget, start};
  Plan plan = algorithm->run(problem, context);
  if (plan.algorithm.empty()) plan.algorithm = algorithm->name;
  compute_pool_sizes(problem, plan);
  plan.lower_bound = bound;
  plan.whole_tensor_bound = problem.has_overlaps() ? lower_bound(problem, BoundKind::whole_tensor) : bound;
  if (plan.total_size() <= bound) plan.optimal = true;
  plan.stopped_by = plan.optimal ? StopReason::optimal : budget.reason();
  plan.work_units = budget.work_done();
  plan.solve_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (auto violation = check_plan(problem, plan)) {
    throw InvalidPlan(fmt::format("algorithm '{}' produced an invalid plan: {}", plan.algorithm, *violation));
  }
  return plan;
}

}  // namespace arenaplan
