// CONCATENATION written in place by its producers (docs/overlap.md): for the `arenaplan` kernels,
// an input of a concatenation on its outermost non-1 axis is a contiguous byte range of the output,
// so the operator that produces it may write straight there and the input needs no buffer.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "arenaplan/graph.h"

namespace arenaplan::lowering {

struct ConcatSlices {
  std::vector<std::int32_t> slice_of;      // per tensor: the concatenation output it is a slice of, or -1
  std::vector<Bytes> offset;               // per tensor: its first byte in that output
  std::vector<std::int64_t> pixel_stride;  // per tensor: elements from one pixel to the next (a channel slice), else 0
  std::vector<bool> in_place;              // per operator: a concatenation whose inputs are all slices
};

// Every input of a concatenation becomes a slice when all of them qualify: written by an operator
// of the graph, read by nothing else, typed and quantized like the output, not a graph input or
// output, and `plannable` (an arena tensor with no other alias); and the slices are contiguous (the
// dimensions before the axis are 1), or the concatenation is on the channels of an NHWC tensor and
// every producer can write its pixels `pixel_stride` elements apart (`strided_producer(op)`).
// `plannable(t)` says whether tensor t may share the output's buffer.
ConcatSlices find_concat_slices(const Graph& graph, const std::function<bool(std::size_t)>& plannable,
                                const std::function<bool(std::size_t)>& strided_producer);

}  // namespace arenaplan::lowering
