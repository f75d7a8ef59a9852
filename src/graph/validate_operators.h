// Checks behind validate_graph (arenaplan/graph.h), internal to the graph layer.
#pragma once

#include <cstddef>

#include "arenaplan/graph.h"

namespace arenaplan {

// The parameters kernels compute with (strides, dilations, padding and output sizes, filter and
// operand shapes, axes, quantization scales, zero points and fixed-point multipliers) checked
// against what 32-bit kernels compute without overflow; one check per operator family.
void validate_operator_parameters(const Graph& graph, std::size_t op);

}  // namespace arenaplan
