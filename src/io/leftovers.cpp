#include "io/leftovers.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <string>
#include <system_error>

namespace arenaplan {

std::optional<pid_t> leftover_pid(std::string_view name, std::string_view prefix, std::string_view after) {
  if (!name.starts_with(prefix)) return std::nullopt;
  name.remove_prefix(prefix.size());
  pid_t pid = 0;
  const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), pid);
  if (error != std::errc{} || end == name.data() || pid <= 0) return std::nullopt;
  if (!std::string_view(end, static_cast<std::size_t>(name.data() + name.size() - end)).starts_with(after))
    return std::nullopt;
  return pid;
}

bool try_lock(int fd) { return ::flock(fd, LOCK_EX | LOCK_NB) == 0; }

bool leftover_is_stale(const std::filesystem::path& path, pid_t pid) {
  if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) return false;
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || info.st_uid != ::geteuid() || S_ISLNK(info.st_mode)) return false;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return false;
  const bool unlocked = try_lock(fd);
  ::close(fd);  // drops the lock just taken: the caller removes the entry next
  return unlocked;
}

void for_each_stale_leftover(const std::filesystem::path& dir, std::string_view prefix, std::string_view after,
                             const std::function<void(const std::filesystem::path&)>& remove) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const auto pid = leftover_pid(name, prefix, after);
    if (pid && leftover_is_stale(it->path(), *pid)) remove(it->path());
  }
}

}  // namespace arenaplan
