// The geometry of the generic operators' kernels beyond shape_geometry.h (TRANSPOSE, PACK /
// UNPACK, ARG_MAX / ARG_MIN), read the same way by the `arenaplan` profile and the C emitter.
#pragma once

#include <optional>

#include "kernels/shape_geometry.h"

namespace arenaplan::kernels {

struct TransposeGeometry {
  Dims in_shape{};
  Dims perm{};  // output dimension d is input dimension perm[d], in the five padded dimensions
};
// TRANSPOSE with a constant permutation (input 1) of up to five dimensions; throws when the
// permutation is not one or the output shape differs from the permuted input.
std::optional<TransposeGeometry> transpose_geometry(const OperatorView& v);

// PACK (inputs stacked along a new axis of the output) and UNPACK (the input split along one,
// removed from the outputs) as a CONCATENATION / SPLIT of parts one step long along that axis.
std::optional<AxisGeometry> stack_geometry(const OperatorView& v);

struct ArgGeometry {
  std::int64_t outer = 1, axis_size = 1, inner = 1;
};
// ARG_MAX / ARG_MIN over the constant axis (input 1, one value) of input 0.
std::optional<ArgGeometry> arg_geometry(const OperatorView& v);

struct SpaceBatchGeometry {
  std::int64_t in_batch = 1, in_h = 1, in_w = 1, depth = 1;
  std::int64_t out_batch = 1, out_h = 1, out_w = 1;
  std::int64_t block_h = 1, block_w = 1, pad_top = 0, pad_left = 0;
};
// SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND of a 3-D or 4-D input with constant block shape (input 1)
// and paddings or crops (input 2); throws when the output shape contradicts them.
std::optional<SpaceBatchGeometry> space_batch_geometry(const OperatorView& v);

}  // namespace arenaplan::kernels
