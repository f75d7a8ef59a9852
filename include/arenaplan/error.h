// Errors that reach the user. Each maps to an exit status of the command-line tool.
#pragma once

#include <stdexcept>
#include <string>

namespace arenaplan {

// Bad input or usage: the message names the file and what is wrong. Exit status 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A valid request with no solution (capacity or pool limits cannot be met). Exit status 1.
class NoSolution : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An algorithm returned a plan that the independent checker rejects (for the built-in
// algorithms, a bug; for one registered by a user, a mistake in it). The message names the
// algorithm and the first violation.
class InvalidPlan : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace arenaplan
