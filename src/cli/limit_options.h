// The --max-* options that raise or lower the input limits (include/arenaplan/limits.h). They
// belong to the top-level command and may be given before or after the subcommand.
#pragma once

#include <CLI/CLI.hpp>

#include "arenaplan/limits.h"

namespace arenaplan::cli {

// Registers the options on `app`, writing into `limits` when parsed.
void add_limit_options(CLI::App& app, InputLimits& limits);

}  // namespace arenaplan::cli
