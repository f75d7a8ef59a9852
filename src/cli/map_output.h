// --map FILE.svg | FILE.html | - (text on the terminal): the memory map of a plan, for the
// commands that make plans (solve, plan, and later compile).
#pragma once

#include <iosfwd>
#include <string>

#include <CLI/CLI.hpp>

#include "arenaplan/memory_map.h"
#include "io/outputs.h"

namespace arenaplan::cli {

// Registers --map on `cmd`, accepting only .svg, .html/.htm or "-".
void add_map_option(CLI::App* cmd, std::string& target);

// Adds the map file `target` (.svg or .html) to `outputs`; nothing for "" or "-".
void add_map_output(Outputs& outputs, const std::string& target, const Problem& problem, const Plan& plan,
                    const MapLabels& labels);

// Draws the map in text on `terminal` (--map -).
void draw_text_map(const Problem& problem, const Plan& plan, const MapLabels& labels, std::ostream& terminal);

// Width of the terminal: $COLUMNS, else the TIOCGWINSZ of stdout, else 100.
int terminal_columns();

}  // namespace arenaplan::cli
