// Live ranges of a graph's tensors and scratch buffers on the timeline, under two conventions.
#pragma once

#include <optional>
#include <vector>

#include "arenaplan/graph.h"
#include "arenaplan/kernels.h"
#include "arenaplan/problem.h"

namespace arenaplan::lowering {

struct Lifetimes {
  Step steps = 0;
  std::vector<Interval> operators;               // steps of each operator
  std::vector<std::optional<Interval>> tensors;  // nothing: the tensor takes no part in the run
  std::vector<std::vector<Interval>> scratch;    // per operator, per scratch request
};

// arenaplan's own: each operator occupies `stages` steps; a tensor lives from the stage that
// writes it to the last stage that reads it; graph inputs from step 0, outputs to the end.
Lifetimes stage_lifetimes(const Graph& graph, const std::vector<OperatorMemory>& memory);

// TFLite Micro's AllocationInfoBuilder::MarkAllocationLifetimes: scope 0 for graph inputs,
// scope i+1 for operator i, closed intervals (stored here half-open), inputs and outputs of an
// operator alive together, scratch alive during its operator, outputs to the final scope.
Lifetimes tflm_lifetimes(const Graph& graph, const std::vector<OperatorMemory>& memory);

}  // namespace arenaplan::lowering
