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

// The shape padded to five dimensions with leading 1s; nothing beyond five or with an empty dimension.
std::optional<Dims> dims_of(const Tensor& t);

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

struct BroadcastGeometry {
  Dims out_shape{};
  Dims stride1{}, stride2{};  // element strides of inputs 0 and 1 per output dimension; 0 where broadcast
};
// A binary element-wise operator whose inputs broadcast (NumPy rules) to its output's shape.
std::optional<BroadcastGeometry> broadcast_geometry(const OperatorView& v);

// CONV_2D, DEPTHWISE_CONV_2D and pooling (NHWC), as ap_conv_shape / ap_pool_shape take it: pad_h
// and pad_w are the padding before the first row and column (TFLite's ComputePaddingHeightWidth).
struct WindowGeometry {
  std::int64_t batches = 1, in_h = 1, in_w = 1, in_c = 1, out_h = 1, out_w = 1, out_c = 1;
  std::int64_t filter_h = 1, filter_w = 1, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  std::int64_t pad_h = 0, pad_w = 0;
  std::int64_t depth_multiplier = 1;  // DEPTHWISE_CONV_2D: out_c / in_c
};
// Throw InputError naming the operator when the shapes contradict each other.
WindowGeometry conv_geometry(const OperatorView& v, bool depthwise);
WindowGeometry pool_geometry(const OperatorView& v);

}  // namespace arenaplan::kernels
