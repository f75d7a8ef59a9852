// Parses byte counts given on the command line: 1048576, 64K, 1M, 2G (binary multiples).
#pragma once

#include <optional>
#include <string_view>

#include "arenaplan/problem.h"

namespace arenaplan::cli {

std::optional<Bytes> parse_byte_size(std::string_view text);

}  // namespace arenaplan::cli
