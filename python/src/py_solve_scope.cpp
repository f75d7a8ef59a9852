#include "py_solve_scope.h"

namespace arenaplan::python {
namespace {

// Only the main thread receives Python's signals, so one flag serves every scope there.
std::atomic<bool> sigint_seen{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the SIGINT handler needs a lock-free flag");

extern "C" void on_sigint(int) { sigint_seen.store(true); }

bool is_main_thread() {
  pybind11::module_ threading = pybind11::module_::import("threading");
  return threading.attr("current_thread")().is(threading.attr("main_thread")());
}

}  // namespace

SolveScope::SolveScope(SolveOptions& options) : on_main_thread_(options.stop == nullptr && is_main_thread()) {
  if (!on_main_thread_) return;
  sigint_seen.store(false);
  options.stop = &sigint_seen;
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_);
}

SolveScope::~SolveScope() {
  if (on_main_thread_) sigaction(SIGINT, &previous_, nullptr);
}

bool SolveScope::interrupted() const { return on_main_thread_ && sigint_seen.load(); }

}  // namespace arenaplan::python
