// Rounding offsets and sizes up to an alignment: the one definition every layer uses.
#pragma once

#include "arenaplan/problem.h"

namespace arenaplan {

// The smallest multiple of `alignment` (>= 1) at or above `value` (>= 0); callers keep both
// below 2^62, which normalise() guarantees for problems.
inline Bytes align_up(Bytes value, Bytes alignment) {
  return alignment <= 1 ? value : (value + alignment - 1) / alignment * alignment;
}

}  // namespace arenaplan
