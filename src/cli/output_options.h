// -o/--output and the other options naming a file or directory to write.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace arenaplan::cli {

// Whether `path` ends in `suffix` (lower case, e.g. ".csv"), ignoring the case of `path`.
bool ends_with_suffix(const std::string& path, const std::string& suffix);

// Refuses an empty name (`-o ''`): a usage error, not "write nothing".
CLI::Validator non_empty_path();

// Registers -o,--output on `cmd`, with non_empty_path().
CLI::Option* add_output_option(CLI::App* cmd, std::string& target, const std::string& description);

}  // namespace arenaplan::cli
