// Reading whole files with a clear error when they cannot be read.
#pragma once

#include <cstddef>
#include <string>

#include "arenaplan/limits.h"

namespace arenaplan {

// Reads `path` whole; throws InputError naming the file when it cannot be read or is larger than
// `max_bytes` (a fixed ceiling), or than `limits.max_file_bytes` (with the remedy that raises it).
std::string read_file(const std::string& path, std::size_t max_bytes);
std::string read_file(const std::string& path, const InputLimits& limits);

}  // namespace arenaplan
