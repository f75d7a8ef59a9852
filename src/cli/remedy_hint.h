// The command line's words for a library error's remedy: the flag that gets past it.
#pragma once

#include <string>

#include "arenaplan/error.h"

namespace arenaplan::cli {

// " (raise it with --max-buffers)", ...; empty for Remedy::none.
std::string remedy_hint(Remedy remedy);

}  // namespace arenaplan::cli
