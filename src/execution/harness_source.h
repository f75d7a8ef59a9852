// main() of the execution-check program: runs the planned code (pools poisoned and fenced by
// guard bytes) or the separate-buffer code on one input file, writing every operator's output
// (the trace) and the graph outputs.
#pragma once

#include <string>

#include "arenaplan/graph.h"
#include "emit/c_names.h"

namespace arenaplan::execution {

inline constexpr int kGuardBytes = 64;
inline constexpr int kGuardExitCode = 3;

// `l`: the layout of the emitted model, with every workspace pool external (the harness
// allocates them). An external constant pool is read from <prefix>_<pool>.bin next to the
// program, and with `separate_constants_file` the separate-buffer code's constants from
// <prefix>_separate_constants.bin.
std::string harness_source(const Graph& graph, const Problem& problem, const c_out::Layout& l,
                           bool separate_constants_file = false);

}  // namespace arenaplan::execution
