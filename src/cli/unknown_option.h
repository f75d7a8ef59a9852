// The one-line message for a command line with an option the command does not have, naming the
// closest valid option ("did you mean"), so that a typo costs one glance and not a --help page.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace arenaplan::cli {

// The message for the first argument of argv that looks like an option and is not one of the chosen
// subcommand's (or the tool's) options; none when every option-like argument is known.
std::optional<std::string> unknown_option_message(const CLI::App& app, int argc, const char* const* argv);

}  // namespace arenaplan::cli
