// The geometry of the data-movement and reduction operators (PAD, STRIDED_SLICE, SLICE,
// CONCATENATION, SPLIT, GATHER, MEAN) as the runtime kernels take it: shapes of up to five
// dimensions, outermost first, lower ranks padded with leading 1s. The `arenaplan` profile checks
// an operator with these (nothing: no kernel for that form) and the C emitter writes them out, so
// both read the operator the same way. A malformed operator (shapes that contradict its
// parameters) throws InputError naming it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "kernels/operator_view.h"

namespace arenaplan::kernels {

constexpr std::size_t kMaxDims = 5;  // AP_MAX_DIMS of runtime/arenaplan_kernels.h
using Dims = std::array<std::int64_t, kMaxDims>;

struct PadGeometry {
  Dims in_shape{}, before{}, after{};
};
// PAD / PADV2: paddings from constant input 1.
std::optional<PadGeometry> pad_geometry(const OperatorView& v);

struct SliceGeometry {
  Dims in_shape{}, start{}, stride{}, out_shape{};
};
// STRIDED_SLICE (begin, end, strides: constant inputs 1-3, masks as TFLite resolves them; no
// ellipsis or new axes) and SLICE (begin, size).
std::optional<SliceGeometry> slice_geometry(const OperatorView& v);

struct AxisGeometry {
  std::int64_t outer = 1;                // product of the dimensions before the axis
  std::int64_t inner = 1;                // elements after the axis
  std::vector<std::int64_t> axis_sizes;  // per input (CONCATENATION) or output (SPLIT, SPLIT_V)
};
std::optional<AxisGeometry> concat_geometry(const OperatorView& v);
std::optional<AxisGeometry> split_geometry(const OperatorView& v);

struct GatherGeometry {
  std::int64_t outer = 1, axis_size = 1, count = 0, inner = 1;
};
std::optional<GatherGeometry> gather_geometry(const OperatorView& v);

struct ReduceGeometry {
  Dims in_shape{};
  std::array<bool, kMaxDims> reduce{};
};
// MEAN (and other reductions): axes from constant input 1.
std::optional<ReduceGeometry> reduce_geometry(const OperatorView& v);

}  // namespace arenaplan::kernels
