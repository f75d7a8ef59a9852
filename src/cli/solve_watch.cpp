#include "cli/solve_watch.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>

#include <fmt/format.h>

namespace arenaplan::cli {
namespace {

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the SIGINT handler needs a lock-free flag");
struct sigaction previous_action {};

extern "C" void on_sigint(int) { stop_requested.store(true); }  // SA_RESETHAND: the next one ends the program

constexpr auto kQuietFor = std::chrono::milliseconds(500);  // solves shorter than this show nothing
constexpr auto kEvery = std::chrono::milliseconds(200);

}  // namespace

SolveWatch::SolveWatch(SolveOptions& options) : start_(std::chrono::steady_clock::now()) {
  stop_requested.store(false);
  options.stop = &stop_requested;
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, &previous_action);
  if (isatty(STDERR_FILENO) == 0) return;
  options.on_progress = [this](const SolveProgress& p) {
    lower_bound_.store(p.lower_bound);
    Bytes best = best_.load();
    while ((best < 0 || p.best_total < best) && !best_.compare_exchange_weak(best, p.best_total)) {}
  };
  ticker_ = std::thread([this] { tick(); });
}

SolveWatch::~SolveWatch() { finish(); }

bool SolveWatch::interrupted() const { return finished_ ? interrupted_ : stop_requested.load(); }

void SolveWatch::tick() {
  std::unique_lock lock(mutex_);
  if (wake_.wait_for(lock, kQuietFor, [this] { return finished_; })) return;
  do {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const Bytes best = best_.load(), bound = lower_bound_.load();
    std::string line = fmt::format("arenaplan: {:.1f} s", elapsed);
    if (best >= 0) {
      line += fmt::format(", best {} bytes", best);
      if (bound > 0)
        line +=
            fmt::format(", lower bound {} ({:.4f}x)", bound, static_cast<double>(best) / static_cast<double>(bound));
    } else {
      line += ", searching";
    }
    line += stop_requested.load() ? ", stopping..." : ", Ctrl-C stops with the best plan";
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    std::fflush(stderr);
    shown_ = true;
  } while (!wake_.wait_for(lock, kEvery, [this] { return finished_; }));
}

void SolveWatch::finish() {
  {
    std::lock_guard lock(mutex_);
    if (finished_ && !ticker_.joinable()) return;
    finished_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  if (shown_) std::fprintf(stderr, "\r\033[K");
  sigaction(SIGINT, &previous_action, nullptr);
  interrupted_ = stop_requested.load();
  if (interrupted_) std::fprintf(stderr, "arenaplan: interrupted: returning the best valid plan found so far\n");
}

}  // namespace arenaplan::cli
