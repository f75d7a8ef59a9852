// Byte counts as people write them: 1048576, 64K, 64KB, 64KiB, 1M, 2G, 0x10000 (binary multiples).
#pragma once

#include <optional>
#include <string_view>

#include "arenaplan/problem.h"

namespace arenaplan {

// Nothing when the text is not a non-negative count (decimal, or hexadecimal after 0x) with an
// optional unit (B; K, KB, KiB; M, MB, MiB; G, GB, GiB; any case; decimal counts only, all
// multiples of 1024), or when the value is beyond 2^60 bytes.
std::optional<Bytes> parse_byte_size(std::string_view text);

}  // namespace arenaplan
