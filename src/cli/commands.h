// The subcommands of the arenaplan tool. Each add_*_command registers its options on `app` and,
// when chosen, sets `action` to the function that runs it (with the input limits of the
// command line) and returns the exit status.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

#include "arenaplan/limits.h"

namespace arenaplan::cli {

using Action = std::function<int(const InputLimits&)>;

void add_solve_command(CLI::App& app, Action& action);
void add_check_command(CLI::App& app, Action& action);
void add_algorithms_command(CLI::App& app, Action& action);
void add_plan_command(CLI::App& app, Action& action);     // plan_command.cpp
void add_compile_command(CLI::App& app, Action& action);  // compile_command.cpp
void add_diff_command(CLI::App& app, Action& action);     // diff_command.cpp
void add_run_command(CLI::App& app, Action& action);      // run_command.cpp

}  // namespace arenaplan::cli
