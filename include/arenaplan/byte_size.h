// Byte counts as people write them: 1048576, 64K, 1M, 2G (binary multiples).
#pragma once

#include <optional>
#include <string_view>

#include "arenaplan/problem.h"

namespace arenaplan {

// Nothing when the text is not a non-negative count with an optional K/M/G suffix, or when the
// value is beyond 2^60 bytes.
std::optional<Bytes> parse_byte_size(std::string_view text);

}  // namespace arenaplan
