// Reading whole files with a clear error when they cannot be read; the pieces of safe writing.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "arenaplan/limits.h"

namespace arenaplan {

// Reads `path` whole; throws InputError naming the file when it cannot be read or is larger than
// `max_bytes` (a fixed ceiling), or than `limits.max_file_bytes` (with the remedy that raises it).
std::string read_file(const std::string& path, std::size_t max_bytes);
std::string read_file(const std::string& path, const InputLimits& limits);

// What an output named `path` really is: symlinks are followed to their final target (the link
// stays, its target is written). Throws InputError for a loop.
std::filesystem::path follow_symlinks(const std::string& path);

// Throws InputError when `target` is one of `inputs` (the same file: same device and inode,
// whatever the path or hard link): writing it would destroy the command's input.
void refuse_input_as_output(const std::filesystem::path& target, const std::string& shown, const std::string& option,
                            const std::vector<std::string>& inputs);

// Writes all of `content` to `fd`, then fsyncs it when `sync`; false (errno set) on failure.
bool write_all(int fd, std::string_view content, bool sync);

// Writes what `write` puts on the stream to `fd` as it comes (a plan of a million buffers is
// never held whole); false (errno set) when a write failed.
bool write_stream(int fd, const std::function<void(std::ostream&)>& write);

// fsync of a directory, so that the names just created or renamed in it survive a crash.
void sync_directory(const std::filesystem::path& dir);

}  // namespace arenaplan
