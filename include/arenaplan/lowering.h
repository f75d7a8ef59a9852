// Lowering: a Graph plus a kernel profile becomes a Problem. Every operator gets one or more
// timeline steps (its stages); tensors live from the step that writes them to the last step
// that reads them, scratch buffers only in the stages that use them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "arenaplan/graph.h"
#include "arenaplan/io.h"
#include "arenaplan/kernels.h"
#include "arenaplan/problem.h"

namespace arenaplan {

struct LoweringOptions {
  std::string kernels = "reference";  // kernel profile name
  // TFLite Micro's conventions (shared/anchors/tflm.md §2): one scope per operator, closed
  // lifetimes, sizes rounded up to 16 bytes, no aliasing, variables in a persistent pool.
  bool tflm_compat = false;
  bool io_in_arena = true;       // false: graph inputs/outputs are caller-owned, not planned
  bool persistent_pool = false;  // variables in their own persistent pool instead of the arena
  bool alias_reshapes = true;    // RESHAPE/SQUEEZE/EXPAND_DIMS reuse their input's bytes
  // With tflm_compat: RESHAPE outputs share their input's bytes, as an offline plan can arrange
  // (TFLite Micro's RESHAPE kernel skips its copy when input and output coincide; its SQUEEZE and
  // EXPAND_DIMS always copy, so they keep their own bytes).
  bool tflm_inplace_reshape = false;
  Bytes alignment = 16;  // of every buffer and pool; sizes are rounded up to it
  // Outputs may be written over dying inputs as far as the kernel profile allows (only the
  // `arenaplan` kernels allow any; never with tflm_compat). false: whole tensors (--no-overlap).
  bool overlaps = true;
  // With overlaps: depthwise convolutions may keep their halo in a ring buffer (distance 0; the
  // ring is scratch). plan_models tries both when the first plan misses its lower bound.
  bool halo_rings = true;
  // With the `arenaplan` kernels (not tflm_compat): a PAD feeding only a VALID convolution is folded
  // into the convolution's padding (docs/overlap.md), so the padded tensor never exists.
  bool fold_pads = true;
  // With the `arenaplan` kernels (not tflm_compat): the inputs of a CONCATENATION on its outermost
  // non-1 axis are written by their producers straight into their slice of the output (docs/overlap.md).
  bool concat_in_place = true;
};

struct LoweredModel {
  Problem problem;
  Step steps = 0;                                 // length of the timeline
  std::vector<Interval> operator_steps;           // [first, last) steps of each operator
  std::vector<OperatorMemory> operator_memory;    // what the kernel profile said, per operator
  std::vector<std::int32_t> tensor_buffer;        // per tensor: its buffer, or -1 (not planned)
  std::vector<std::int32_t> aliased_to;           // per tensor: the tensor whose bytes it reuses, or -1
  std::vector<Bytes> tensor_offset;               // per tensor: its first byte in its buffer (a concat slice), else 0
  std::vector<std::int64_t> tensor_pixel_stride;  // per tensor: a channel slice's pixel stride (elements), else 0
  std::vector<bool> concat_in_place;              // per operator: a CONCATENATION its producers wrote in place
  std::int32_t arena_pool = -1;
  std::int32_t constant_pool = -1;
  std::int32_t persistent_pool = -1;
  std::vector<std::string> warnings;  // unknown operators, ...
  // With folded PADs: the graph the kernels run (the same operators and tensors; each folded PAD has
  // no operands and its consumer reads the PAD's input with explicit padding), else null.
  std::shared_ptr<const Graph> folded_graph;
  std::vector<std::int32_t> folded_into;  // per operator: the operator a PAD was folded into, or -1

  // The graph this lowering describes: folded_graph when there is one, else `original`.
  const Graph& graph(const Graph& original) const { return folded_graph ? *folded_graph : original; }
  bool folded(std::size_t op) const { return op < folded_into.size() && folded_into[op] >= 0; }
};

// Throws InputError for an unknown kernel profile or operands a kernel cannot take.
LoweredModel lower_graph(const Graph& graph, const LoweringOptions& options);

// The tensors planned on another tensor's buffer (RESHAPE/SQUEEZE/EXPAND_DIMS outputs; the inputs of
// an in-place CONCATENATION, at their offset), in tensor order: the plan JSON lists them with "alias_of".
std::vector<TensorAlias> tensor_aliases(const Graph& graph, const LoweredModel& lowered);

}  // namespace arenaplan
