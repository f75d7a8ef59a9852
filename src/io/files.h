// Reading whole files with a clear error when they cannot be read.
#pragma once

#include <string>

namespace arenaplan {

// Reads `path` whole; throws InputError naming the file when it cannot be read or is larger than
// `max_bytes` (by default the --max-file-size limit).
std::string read_file(const std::string& path, std::size_t max_bytes);
std::string read_file(const std::string& path);

}  // namespace arenaplan
