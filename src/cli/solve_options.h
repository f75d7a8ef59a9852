// The options every planning command shares: --algorithm, --time-limit, --seed; and --kernels
// for the commands that read models.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "arenaplan/algorithm.h"

namespace arenaplan::cli {

void add_solve_options(CLI::App* cmd, SolveOptions& options);
void add_kernels_option(CLI::App* cmd, std::string& kernels, const std::string& description);

}  // namespace arenaplan::cli
