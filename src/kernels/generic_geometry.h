// The geometry of the generic operators' kernels beyond shape_geometry.h: TRANSPOSE's
// permutation, read the same way by the `arenaplan` profile and the C emitter.
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

}  // namespace arenaplan::kernels
