// Errors that reach the user. Each maps to an exit status of the command-line tool.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace arenaplan {

// `text` with every byte a terminal could act on written as \xNN: control characters (CR, ESC,
// NUL, ...), DEL, C1 controls and bytes that are not valid UTF-8. Names and values echoed from
// an input then stay on one harmless line; valid UTF-8 text is kept as it is.
std::string printable_text(std::string_view text);

// Bad input or usage: the message names the file and what is wrong. Exit status 2.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::string_view message) : std::runtime_error(printable_text(message)) {}
};

// A valid request with no solution (capacity or pool limits cannot be met). Exit status 1.
class NoSolution : public std::runtime_error {
 public:
  explicit NoSolution(std::string_view message) : std::runtime_error(printable_text(message)) {}
};

}  // namespace arenaplan
