// Leftovers of killed runs: temporary files and directories carry their writer's process id in
// their name, and the writer holds an flock on them while it works. A leftover is stale (safe to
// remove) when its process is gone and nobody holds the lock: a live process, or one in another
// PID namespace that shares the file system, keeps its files.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>

namespace arenaplan {

// The process id in `name` = prefix + digits + rest, where rest starts with `after`; none otherwise.
std::optional<pid_t> leftover_pid(std::string_view name, std::string_view prefix, std::string_view after);

// True when process `pid` is gone, `path` belongs to this user and nobody holds an flock on it.
bool leftover_is_stale(const std::filesystem::path& path, pid_t pid);

// Calls `remove` for every stale entry of `dir` named prefix + pid + after...; errors are ignored
// (a leftover that cannot be removed now is tried again next time).
void for_each_stale_leftover(const std::filesystem::path& dir, std::string_view prefix, std::string_view after,
                             const std::function<void(const std::filesystem::path&)>& remove);

// Takes an exclusive flock on the open file or directory `fd` without waiting; false when taken.
bool try_lock(int fd);

}  // namespace arenaplan
