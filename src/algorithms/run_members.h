// Runs a portfolio's independent members on several threads. Each member writes only its own
// result slot and has its own budget (Budget::fork), so what a member computes, and a choice made
// from the results by index, does not depend on timing or load.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <thread>
#include <utility>
#include <vector>

#include "arenaplan/algorithm.h"

namespace arenaplan::detail {

// SolveOptions::threads, with 0 meaning the machine's cores (at least one).
inline unsigned member_threads(const SolveOptions& options) {
  if (options.threads > 0) return options.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

// Calls fn(i) for every i < count on up to `threads` threads (this one included). A member's
// exception is rethrown after all have ended, the lowest index first.
template <typename Fn>
void run_members(std::size_t count, unsigned threads, Fn&& fn) {
  const std::size_t workers = std::min<std::size_t>(std::max(1u, threads), count);
  std::vector<std::exception_ptr> errors(count);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      try {
        fn(i);
      } catch (...) { errors[i] = std::current_exception(); }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < workers; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
}

// Runs fn(i, context_i) for every member on its own thread, each with budget.work_left() units of
// its own and seed seeds[i]; progress goes to the caller from the solving thread only
// (after the members end) when there are several. Charges `budget` the most any member used
// (they ran side by side), and returns that.
template <typename Fn>
std::int64_t run_forked(const AlgorithmContext& context, const Budget& budget, const std::vector<std::uint64_t>& seeds,
                        Fn&& fn) {
  const std::int64_t work = budget.work_left();
  std::vector<Budget> budgets;
  std::vector<SolveOptions> options(seeds.size(), context.options);
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    budgets.push_back(budget.fork(work));
    options[i].seed = seeds[i];
    if (seeds.size() > 1) options[i].on_progress = nullptr;
  }
  run_members(seeds.size(), static_cast<unsigned>(seeds.size()), [&](std::size_t i) {
    fn(i, AlgorithmContext{options[i], context.lower_bound, budgets[i], context.start});
  });
  std::int64_t most = 0;
  for (const Budget& b : budgets) most = std::max(most, b.work_done());
  for (const Budget& b : budgets) budget.join(b, 0);
  budget.charge(most);
  return most;
}

}  // namespace arenaplan::detail
