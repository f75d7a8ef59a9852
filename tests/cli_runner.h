// Runs the arenaplan binary as a user would, capturing its output and exit status.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace arenaplan::test {

struct CommandResult {
  int status = -1;
  std::string out;  // stdout and stderr, interleaved
};

inline CommandResult run_cli(const std::string& args) {
  CommandResult r;
  const std::string command = std::string(ARENAPLAN_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> chunk{};
  std::size_t got = 0;
  while ((got = fread(chunk.data(), 1, chunk.size(), pipe)) > 0) r.out.append(chunk.data(), got);
  const int raw = pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  return r;
}

}  // namespace arenaplan::test
