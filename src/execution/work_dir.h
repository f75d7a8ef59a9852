// The build directory of `arenaplan run`: --keep DIR, or else $TMPDIR/arenaplan-run-PID-XXXXXX,
// removed when the run ends; on SIGINT, SIGTERM or SIGHUP (the running compiler or test program
// is killed first, with --keep too, then the signal is re-raised so the exit status still tells);
// and, after a kill -9, by the next run, which removes those whose process is gone
// (io/leftovers.h).
#pragma once

#include <signal.h>

#include <filesystem>
#include <string>

namespace arenaplan::execution {

class WorkDir {
 public:
  explicit WorkDir(const std::string& keep);  // throws std::runtime_error when it cannot be created
  ~WorkDir();
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  void make(const std::string& keep);
  void restore_signals() noexcept;

  std::filesystem::path path_;
  bool temporary_ = false;
  int fd_ = -1;  // holds the flock that tells other runs this directory is in use
  struct sigaction previous_[3] = {};
};

}  // namespace arenaplan::execution
