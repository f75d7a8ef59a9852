// The `arenaplan` profile's RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR (runtime/kernels_resize.c).
#pragma once

#include <optional>

#include "kernels/operator_view.h"

namespace arenaplan::kernels {

// The shapes a resize kernel loops over: 4-D NHWC input and output with the same batches and
// depth, the output size given by a constant int32 [height, width] input equal to the output's.
struct ResizeGeometry {
  std::int64_t batches, in_h, in_w, depth, out_h, out_w;
  bool align_corners, half_pixel_centers;
};
std::optional<ResizeGeometry> resize_geometry(const OperatorView& v);

// The kernel of a RESIZE_BILINEAR (float32, uint8, int8) or RESIZE_NEAREST_NEIGHBOR (any 1, 2 or
// 4-byte type): one stage, no scratch; input and output quantized alike.
std::optional<OperatorMemory> resize_rule(const OperatorView& v);

}  // namespace arenaplan::kernels
