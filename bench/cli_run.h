// Runs an arenaplan binary and reads its JSON report, so that a benchmark can put an older build
// (a previous release) beside this one in the same run: the machine is shared and noisy, and only
// ratios measured side by side mean anything.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace arenaplan::bench {

struct SolveRun {
  bool ok = false;         // exit status 0
  std::string error;       // the last line of standard error otherwise
  std::int64_t total = 0;  // the pools' sizes, summed
  std::int64_t lower_bound = 0;
  bool optimal = false;
  std::string algorithm;  // the member that produced the plan (auto/...)
  std::string stopped_by;
  double solve_seconds = 0;  // what the report says: no process start, no file reading
  double wall_seconds = 0;   // the whole process
};

// `BINARY solve FILE ARGS... --format json`.
SolveRun run_solve(const std::string& binary, const std::string& file, const std::vector<std::string>& args);

// `BINARY ARGS...` with standard output discarded: its exit status and wall seconds.
struct Run {
  int status = -1;
  double wall_seconds = 0;
};
Run run_binary(const std::string& binary, const std::vector<std::string>& args);

// A file in this process's scratch directory (under the temporary directory, removed at exit).
std::filesystem::path scratch(const std::string& name);

// The arenaplan built beside this benchmark (build/arenaplan for build/bench/X), or "arenaplan".
std::string sibling_binary(const char* argv0);

}  // namespace arenaplan::bench
