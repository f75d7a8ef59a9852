// Running a host program (the C compiler, the built check program) and collecting what it said.
#pragma once

#include <string>
#include <vector>

namespace arenaplan::execution {

struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal
  int signal = 0;
  std::string output;  // stdout and stderr, interleaved
};

// Throws std::runtime_error when the program cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& log_path);

// Kills the program run_process is waiting for, with everything it started (its own process
// group), and reaps it. Async-signal-safe: for a signal handler that is about to end the run.
void stop_running_child() noexcept;

// Shell-quoted, for showing the command to the user.
std::string command_line(const std::vector<std::string>& argv);

}  // namespace arenaplan::execution
