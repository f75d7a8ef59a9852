#include "arenaplan/limits.h"

namespace arenaplan {
namespace {
InputLimits& current() {
  static InputLimits limits;
  return limits;
}
}  // namespace

const InputLimits& input_limits() { return current(); }
void set_input_limits(const InputLimits& limits) { current() = limits; }

}  // namespace arenaplan
