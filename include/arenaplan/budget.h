// How much a solve may search. A Budget counts work units (one unit is about one elementary step:
// a buffer placed, a neighbour visited, a search node) and has a wall-clock deadline and a stop
// request (Ctrl-C). By default a search ends on its work budget, so the same input, seed and
// limits give the same plan on any machine and under any load; the deadline is then only a safety
// net. With SolveOptions::wall_clock, the work is unlimited and the deadline ends the search.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

namespace arenaplan {

// What ended a search (Plan::stopped_by).
enum class StopReason {
  completed,    // every phase ran to its end
  optimal,      // the plan meets the lower bound or was proven optimal
  work_limit,   // the work budget (reproducible)
  time_limit,   // the wall-clock deadline (not reproducible)
  interrupted,  // a stop request (Ctrl-C)
};
std::string_view to_string(StopReason reason);  // "completed", "optimal", "work-limit", ...

// The fixed rate that turns --time-limit into a work budget. Measured on this project's machine
// (units per CPU second): about 30 M on interval problems (interval-tree neighbour queries),
// 150 M on explicit conflicts, 23-73 M in the exact search (MiniMalloc's challenging set); the
// rate is below the slowest, so the work budget normally ends before the deadline.
inline constexpr double kWorkUnitsPerSecond = 20e6;

class Budget {
 public:
  Budget();  // no limit (a stop can still be requested through another constructor only)
  // `work`: units (negative: unlimited); `seconds`: the deadline from now; `stop`: may be null.
  Budget(std::int64_t work, double seconds, const std::atomic<bool>* stop);

  // Counts work done; every part of this budget shares the count.
  void charge(std::int64_t units) const { shared_->work += units; }
  // True once this budget's work is used, its deadline has passed, or a stop was requested;
  // records why (see reason()). Polled at fixed points of the code, so a work stop is
  // reproducible.
  bool exhausted() const;
  // False (and recorded like exhausted()) when fewer than `units` are left: of the work, or of the
  // time before the deadline at the rate this budget has shown (work that cannot be cut).
  bool can_afford(std::int64_t units) const;
  // A sub-budget with `fraction` of what is left: of the work when this budget has a work limit
  // (the deadline stays), else of the time. It shares the work count, the stop and the reasons.
  Budget part(double fraction) const;
  // The same count, but never exhausted: for work that must finish (the fallback placement).
  Budget uncapped() const;
  // An independent budget of `work` units (with a work limit; else the time left) with its own
  // count, the same deadline and stop: for a member run on another thread, whose budget must not
  // depend on what the others did. join() charges its work here and records why it stopped.
  // `cancel` (may be null) stops the member alone: its result is no longer wanted.
  Budget fork(std::int64_t work, const std::atomic<bool>* cancel = nullptr) const;
  void join(const Budget& member, std::int64_t work) const;

  // Work that runs after the search and cannot be cut (the checker): deadline checks of this
  // budget and its parts come that many units (at the rate shown) before the deadline.
  void reserve(std::int64_t units) const;

  // Units left; with no work limit, the seconds left at the rate shown so far (at most
  // kWorkUnitsPerSecond).
  std::int64_t work_left() const;
  std::int64_t work_done() const { return shared_->work; }
  bool has_work_limit() const { return shared_->by_work; }
  // The strongest reason any part of this budget ran out (interrupted > time > work), or
  // `completed` when none did.
  StopReason reason() const { return shared_->reason; }

 private:
  struct Shared {
    std::int64_t work = 0;
    const std::atomic<bool>* stop = nullptr;
    bool by_work = false;                         // parts split the work (else the time)
    std::chrono::steady_clock::time_point start;  // for the rate of work done
    std::int64_t reserve = 0;                     // units kept back before the deadline
    StopReason reason = StopReason::completed;
  };
  void note(StopReason reason) const;
  double rate() const;                                // units per second seen so far (the reference rate at first)
  std::int64_t time_left() const;                     // units until end() at that rate
  std::chrono::steady_clock::time_point end() const;  // the deadline less the reserve

  std::shared_ptr<Shared> shared_;
  std::int64_t work_end_;
  std::chrono::steady_clock::time_point deadline_;
  bool ignore_stop_ = false;
  const std::atomic<bool>* cancel_ = nullptr;  // a forked member's own stop
};

}  // namespace arenaplan
