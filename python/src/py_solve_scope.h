// Around a solve called from Python: the GIL is released (other Python threads run on), and on
// the main thread Ctrl-C (SIGINT) becomes a stop request, so the solve returns its best plan,
// as on the command line. The previous SIGINT handler (Python's) is restored afterwards.
#pragma once

#include <signal.h>

#include <atomic>

#include <pybind11/pybind11.h>

#include "arenaplan/algorithm.h"

namespace arenaplan::python {

class SolveScope {
 public:
  // Hooks options.stop (when options has none of its own).
  explicit SolveScope(SolveOptions& options);
  ~SolveScope();
  SolveScope(const SolveScope&) = delete;
  SolveScope& operator=(const SolveScope&) = delete;

  bool interrupted() const;

 private:
  bool on_main_thread_ = false;
  struct sigaction previous_ {};
  pybind11::gil_scoped_release release_;  // last: released after the handler is installed
};

}  // namespace arenaplan::python
