// --map FILE.svg | FILE.html | - (text on the terminal): the memory map of a plan, for the
// commands that make plans (solve, plan, and later compile).
#pragma once

#include <iosfwd>
#include <string>

#include <CLI/CLI.hpp>

#include "arenaplan/memory_map.h"

namespace arenaplan::cli {

// Registers --map on `cmd`, accepting only .svg, .html/.htm or "-".
void add_map_option(CLI::App* cmd, std::string& target);

// Writes the map to `target` (atomically) or, for "-", draws it in text on `terminal`.
void write_map(const std::string& target, const Problem& problem, const Plan& plan, const MapLabels& labels,
               std::ostream& terminal);

// Width of the terminal: $COLUMNS, else the TIOCGWINSZ of stdout, else 100.
int terminal_columns();

}  // namespace arenaplan::cli
