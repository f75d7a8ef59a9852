// While a solve runs: progress on stderr (elapsed time, best size so far, lower bound) when stderr
// is a terminal, and Ctrl-C (SIGINT) as a stop request — the solve then returns the best valid
// plan it has. A second Ctrl-C ends the program as usual.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "arenaplan/algorithm.h"

namespace arenaplan::cli {

class SolveWatch {
 public:
  // Hooks into `options` (on_progress, stop); `options` must outlive the watch.
  explicit SolveWatch(SolveOptions& options);
  ~SolveWatch();
  SolveWatch(const SolveWatch&) = delete;
  SolveWatch& operator=(const SolveWatch&) = delete;

  // Stops the display and restores SIGINT; says on stderr if the search was interrupted.
  void finish();
  bool interrupted() const;

 private:
  void tick();

  std::atomic<Bytes> best_{-1};
  std::atomic<Bytes> lower_bound_{0};
  std::chrono::steady_clock::time_point start_;
  bool finished_ = false;
  bool interrupted_ = false;
  bool shown_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread ticker_;
};

}  // namespace arenaplan::cli
