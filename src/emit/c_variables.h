// The model's variable tensors (SVDF and LSTM state): they keep their value from one
// NAME_run to the next and start at their zero, which the generated NAME_reset() sets.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "arenaplan/graph.h"

namespace arenaplan::c_out {

bool has_variables(const Graph& graph);

// The variable tensors operator `op` reads (and updates in place), in its input order: traced
// after its outputs, so that `run --trace` shows the state each step leaves.
std::vector<std::int32_t> variable_inputs(const Graph& graph, std::size_t op);

// One `memset(ADDRESS, ZERO, BYTES);` line per variable tensor (indented for a function body),
// ADDRESS from `address(tensor index)`. The zero is TFLite Micro's (ResetVariableTensors): the
// zero point for int8, else all bits 0.
std::string variable_reset_statements(const Graph& graph, const std::function<std::string(std::size_t)>& address);

}  // namespace arenaplan::c_out
