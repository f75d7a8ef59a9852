// How far below a dying input a kernel's output must start (docs/overlap.md), derived from the
// order in which the C loops of runtime/arenaplan_kernels.c read and write. With the input X at
// byte a and the output Y at byte b = a - d, writing Y's bytes [0, e) clobbers X's bytes below
// e - d; the placement is safe when, after every write, e - d <= the lowest byte of X the loop
// still reads (the anchor's `b + end_Y(t) <= a + minNeeded_X(t)`). The distance is the largest
// e - minNeeded over the writes, at least 0, so it is exact: one byte less lets the binding write
// clobber a byte that is read afterwards.
#pragma once

#include <cstdint>

#include "arenaplan/problem.h"
#include "kernels/shape_geometry.h"

namespace arenaplan::kernels {

// How a window kernel reads, output pixels in NHWC order.
enum class WindowLoop {
  dense,        // ap_conv2d_*: every output channel of a pixel reads the pixel's whole window
  staged,       // ap_conv2d_*_staged: the window (one pixel) is copied before the pixel's outputs
  channelwise,  // ap_depthwise_conv2d_*, pools: output channel ic * multiplier + m reads channel ic
};
// Element sizes in bytes.
Bytes window_overlap_distance(const WindowGeometry& g, WindowLoop loop, std::int64_t in_element,
                              std::int64_t out_element);

// The input pixels the ring of ap_depthwise_conv2d_*_ring holds (its scratch is that many pixels
// of in_c elements): the largest p - q over output pixels p, in NHWC order over the batches, and
// the lowest input pixel q of p's window; 0 when no window reaches below its own pixel. With it
// the output may start anywhere at or below the input (distance 0).
std::int64_t depthwise_ring_pixels(const WindowGeometry& g);
// The most filter taps a ring kernel takes (AP_DEPTHWISE_RING_MAX_TAPS of runtime/arenaplan_kernels.h:
// the window's offsets are listed per output pixel, on the stack).
inline constexpr std::int64_t kDepthwiseRingMaxTaps = 25;

// A forward element-wise loop over `count` elements (output i written after input i is read).
// Widening (out_element > in_element) needs the output that much lower per element still read.
Bytes elementwise_overlap_distance(std::int64_t count, std::int64_t in_element, std::int64_t out_element);

}  // namespace arenaplan::kernels
