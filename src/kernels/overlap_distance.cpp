#include "kernels/overlap_distance.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace arenaplan::kernels {
namespace {

constexpr Bytes kNothing = std::numeric_limits<Bytes>::max();  // no input byte still read

// The first in-bounds tap of a window along one dimension, or -1 when none is. Computed, not
// searched: a pooling filter may be as wide as the validated limits allow, and a window entirely
// in the padding would cost its whole width per pixel (fuzz_tflite: 112 s for a 508-byte model).
std::int64_t first_tap(std::int64_t origin, std::int64_t filter, std::int64_t dilation, std::int64_t size) {
  if (filter <= 0 || origin >= size) return -1;
  if (origin >= 0) return origin;
  if (dilation <= 0) return -1;                                // every tap at the origin, before 0
  const std::int64_t k = (-origin + dilation - 1) / dilation;  // the first tap at or after 0
  if (k >= filter) return -1;
  const std::int64_t at = origin + k * dilation;
  return at < size ? at : -1;
}

}  // namespace

Bytes window_overlap_distance(const WindowGeometry& g, WindowLoop loop, std::int64_t in_element,
                              std::int64_t out_element) {
  const std::int64_t pixels = g.batches * g.out_h * g.out_w;
  // The lowest input byte each output pixel's window reads (channel 0), then the suffix minimum:
  // the lowest byte still read from pixel p on.
  std::vector<Bytes> later(static_cast<std::size_t>(pixels) + 1, kNothing);
  std::vector<Bytes> start(static_cast<std::size_t>(pixels), kNothing);
  for (std::int64_t p = 0; p < pixels; ++p) {
    const std::int64_t b = p / (g.out_h * g.out_w), oy = p / g.out_w % g.out_h, ox = p % g.out_w;
    const std::int64_t y = first_tap(oy * g.stride_h - g.pad_h, g.filter_h, g.dilation_h, g.in_h);
    const std::int64_t x = first_tap(ox * g.stride_w - g.pad_w, g.filter_w, g.dilation_w, g.in_w);
    if (y >= 0 && x >= 0) start[static_cast<std::size_t>(p)] = ((b * g.in_h + y) * g.in_w + x) * g.in_c * in_element;
  }
  for (std::int64_t p = pixels - 1; p >= 0; --p)
    later[static_cast<std::size_t>(p)] =
        std::min(start[static_cast<std::size_t>(p)], later[static_cast<std::size_t>(p) + 1]);

  Bytes distance = 0;
  auto written = [&](Bytes end, Bytes needed) {
    if (needed != kNothing) distance = std::max(distance, end - needed);
  };
  for (std::int64_t p = 0; p < pixels; ++p) {
    const auto at = static_cast<std::size_t>(p);
    const Bytes base = p * g.out_c * out_element;
    if (loop == WindowLoop::dense) {
      // Channels 0..out_c-2 are written while the whole window is still to be read again.
      if (g.out_c > 1) written(base + (g.out_c - 1) * out_element, later[at]);
    } else if (loop == WindowLoop::channelwise) {
      for (std::int64_t ic = 0; ic < g.in_c; ++ic)
        for (std::int64_t m = 0; m < g.depth_multiplier; ++m) {
          const std::int64_t oc = ic * g.depth_multiplier + m;
          if (oc == g.out_c - 1) continue;  // the pixel's last write: below
          const std::int64_t next_channel = m + 1 < g.depth_multiplier ? ic : ic + 1;
          const Bytes window = start[at] == kNothing ? kNothing : start[at] + next_channel * in_element;
          written(base + (oc + 1) * out_element, std::min(window, later[at + 1]));
        }
    }
    written(base + g.out_c * out_element, later[at + 1]);
  }
  return distance;
}

std::int64_t depthwise_ring_pixels(const WindowGeometry& g) {
  std::int64_t ring = 0;
  for (std::int64_t b = 0; b < g.batches; ++b)
    for (std::int64_t oy = 0; oy < g.out_h; ++oy) {
      const std::int64_t y = first_tap(oy * g.stride_h - g.pad_h, g.filter_h, g.dilation_h, g.in_h);
      for (std::int64_t ox = 0; ox < g.out_w; ++ox) {
        const std::int64_t x = first_tap(ox * g.stride_w - g.pad_w, g.filter_w, g.dilation_w, g.in_w);
        if (y >= 0 && x >= 0)
          ring = std::max(ring, (b * g.out_h + oy) * g.out_w + ox - ((b * g.in_h + y) * g.in_w + x));
      }
    }
  return ring;
}

Bytes elementwise_overlap_distance(std::int64_t count, std::int64_t in_element, std::int64_t out_element) {
  // Writing element i ends at (i + 1) * out_element; input element i + 1 is still to be read.
  if (count <= 1 || out_element <= in_element) return 0;
  return (count - 1) * (out_element - in_element);
}

}  // namespace arenaplan::kernels
