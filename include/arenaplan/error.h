// Errors that reach the user. Each maps to an exit status of the command-line tool.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace arenaplan {

// What the caller can change to get past an error, in the library's terms. Messages name no
// front-end option: a front end words the remedy as its own (the command line names its flag).
enum class Remedy {
  none,
  raise_max_file_bytes,   // InputLimits::max_file_bytes
  raise_max_buffers,      // InputLimits::max_buffers
  raise_max_step,         // InputLimits::max_step
  raise_max_total_bytes,  // InputLimits::max_total_bytes
  raise_max_nesting,      // InputLimits::max_nesting
};

// `text` with every byte a terminal could act on written as \xNN: control characters (CR, ESC,
// NUL, ...), DEL, C1 controls and bytes that are not valid UTF-8. Names and values echoed from
// an input then stay on one harmless line; valid UTF-8 text is kept as it is.
std::string printable_text(std::string_view text);

// Bad input or usage: the message names the file and what is wrong. Exit status 2.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::string_view what, Remedy remedy = Remedy::none)
      : std::runtime_error(printable_text(what)), remedy_(remedy) {}
  Remedy remedy() const { return remedy_; }

 private:
  Remedy remedy_;
};

// A valid request with no solution (capacity or pool limits cannot be met). Exit status 1.
class NoSolution : public std::runtime_error {
 public:
  explicit NoSolution(std::string_view what, Remedy remedy = Remedy::none)
      : std::runtime_error(printable_text(what)), remedy_(remedy) {}
  Remedy remedy() const { return remedy_; }

 private:
  Remedy remedy_;
};

// An algorithm returned a plan that the independent checker rejects (for the built-in
// algorithms, a bug; for one registered by a user, a mistake in it). The message names the
// algorithm and the first violation.
class InvalidPlan : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace arenaplan
