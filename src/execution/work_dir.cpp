#include "execution/work_dir.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "execution/host_process.h"
#include "io/leftovers.h"

namespace arenaplan::execution {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr const char* kPrefix = "arenaplan-run-";

// What the signal handler removes: set before the handlers are installed, cleared after.
char armed_dir[PATH_MAX];
volatile sig_atomic_t armed = 0;

// Removes the files of the flat directory `dir`, then `dir`, with async-signal-safe calls only
// (getdents64 instead of readdir, which may allocate).
void remove_flat_directory(const char* dir) {
  const int fd = ::open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  alignas(8) char entries[4096];
  for (int pass = 0; pass < 4 && ::rmdir(dir) != 0; ++pass) {
    ::lseek(fd, 0, SEEK_SET);
    for (long n; (n = ::syscall(SYS_getdents64, fd, entries, sizeof entries)) > 0;) {
      for (long at = 0; at < n;) {
        unsigned short length = 0;  // struct linux_dirent64: d_reclen at 16, d_name at 19
        std::memcpy(&length, entries + at + 16, sizeof length);
        const char* name = entries + at + 19;
        at += length;
        if (std::strcmp(name, ".") != 0 && std::strcmp(name, "..") != 0) ::unlinkat(fd, name, 0);
      }
    }
  }
  ::close(fd);
}

extern "C" void remove_and_reraise(int signal_number) {
  stop_running_child();
  if (armed) remove_flat_directory(armed_dir);
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

}  // namespace

WorkDir::WorkDir(const std::string& keep) {
  namespace fs = std::filesystem;
  // The handlers first, with the signals held until the directory is armed: no moment where a
  // signal leaves it behind.
  sigset_t held, before;
  sigemptyset(&held);
  for (int s : kSignals) sigaddset(&held, s);
  ::sigprocmask(SIG_BLOCK, &held, &before);
  struct sigaction action {};
  action.sa_handler = remove_and_reraise;
  action.sa_mask = held;  // one handler at a time
  for (std::size_t k = 0; k < std::size(kSignals); ++k) {
    ::sigaction(kSignals[k], nullptr, &previous_[k]);
    if (previous_[k].sa_handler != SIG_IGN) ::sigaction(kSignals[k], &action, nullptr);  // nohup stays nohup
  }
  try {
    make(keep);
  } catch (...) {
    restore_signals();
    ::sigprocmask(SIG_SETMASK, &before, nullptr);
    throw;
  }
  ::sigprocmask(SIG_SETMASK, &before, nullptr);
}

void WorkDir::make(const std::string& keep) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!keep.empty()) {
    path_ = keep;
    fs::create_directories(path_, ec);
    if (ec) throw InputError(fmt::format("--keep {}: cannot create it: {}", keep, ec.message()));
    return;
  }
  const fs::path tmp = fs::temp_directory_path(ec);
  if (ec) {
    const char* dir = std::getenv("TMPDIR");
    throw InputError(fmt::format("cannot use the temporary directory {}: {} (set TMPDIR, or build in --keep DIR)",
                                 dir != nullptr ? dir : "/tmp", ec.message()));
  }
  for_each_stale_leftover(tmp, kPrefix, "-", [](const fs::path& p) {
    std::error_code ignored;
    fs::remove_all(p, ignored);
  });
  std::string pattern = (tmp / fmt::format("{}{}-XXXXXX", kPrefix, ::getpid())).string();
  if (pattern.size() >= sizeof armed_dir || ::mkdtemp(pattern.data()) == nullptr)
    throw InputError(fmt::format("cannot create a temporary directory in {}: {} (set TMPDIR, or build in --keep DIR)",
                                 tmp.string(), std::strerror(errno)));
  path_ = pattern;
  temporary_ = true;
  fd_ = ::open(pattern.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ >= 0) try_lock(fd_);
  std::memcpy(armed_dir, pattern.c_str(), pattern.size() + 1);
  armed = 1;
}

void WorkDir::restore_signals() noexcept {
  for (std::size_t k = 0; k < std::size(kSignals); ++k) ::sigaction(kSignals[k], &previous_[k], nullptr);
  armed = 0;
}

WorkDir::~WorkDir() {
  restore_signals();
  std::error_code ignored;
  if (temporary_) std::filesystem::remove_all(path_, ignored);
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace arenaplan::execution
