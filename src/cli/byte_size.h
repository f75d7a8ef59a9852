// Byte counts on the command line: the library's parser (include/arenaplan/byte_size.h).
#pragma once

#include "arenaplan/byte_size.h"

namespace arenaplan::cli {

using arenaplan::parse_byte_size;

}  // namespace arenaplan::cli
