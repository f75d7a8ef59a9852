// PAD folded into its consumer (docs/overlap.md, "PAD folded into its consumer"): for the
// `arenaplan` kernels a PAD/PADV2 whose only reader is a CONV_2D or DEPTHWISE_CONV_2D (VALID or SAME), padding
// only rows and columns with the value the convolution's own padding stands for (its input zero
// point), is not run: the convolution reads the PAD's input with explicit per-side padding.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "arenaplan/graph.h"

namespace arenaplan::lowering {

struct FoldedPads {
  // The same operators and tensors in the same order; a folded PAD keeps its opcode with no
  // operands, its consumer reads the PAD's input with padding kPaddingExplicit.
  Graph graph;
  std::vector<std::int32_t> folded_into;  // per operator: the consumer a PAD was folded into, or -1
};

// Nothing when no PAD of the graph can be folded.
std::optional<FoldedPads> fold_pads(const Graph& graph);

}  // namespace arenaplan::lowering
