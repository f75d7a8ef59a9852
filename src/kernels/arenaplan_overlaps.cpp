// Which outputs of the `arenaplan` kernels may be written over which dying inputs, and how far
// below them (kernels/overlap_distance.h derives the distances from the loop orders). Kernels
// not listed keep their output apart: FULLY_CONNECTED and MEAN need all of the input for every
// output value (MEAN accumulates in its output); the hybrid kernels read their input only in
// stage 0, before the output exists; the data-movement kernels are not analysed yet.
#include "arenaplan/error.h"
#include "kernels/kernel_ids.h"
#include "kernels/overlap_distance.h"
#include "kernels/rules.h"

namespace arenaplan::kernels {
namespace {

std::int64_t bytes_of(const Tensor& t) { return element_size(t.type); }

// Every input of an element-wise kernel (same element count as the output) over the output.
void elementwise(const OperatorView& v, std::size_t inputs, OperatorMemory& m) {
  const Tensor& out = v.output(0);
  for (std::size_t i = 0; i < inputs; ++i) {
    const Tensor& in = v.input(i);
    m.overlaps.push_back({i, 0, elementwise_overlap_distance(out.elements(), bytes_of(in), bytes_of(out))});
  }
}

// A broadcasting binary kernel reads an input that does not broadcast at the output's own index,
// before writing it; a broadcast input is read out of step and keeps apart.
void unbroadcast_inputs(const OperatorView& v, OperatorMemory& m) {
  const Tensor& out = v.output(0);
  for (std::size_t i = 0; i < 2; ++i) {
    const Tensor& in = v.input(i);
    if (in.elements() == out.elements())
      m.overlaps.push_back({i, 0, elementwise_overlap_distance(out.elements(), bytes_of(in), bytes_of(out))});
  }
}

Bytes window(const OperatorView& v, const WindowGeometry& g, WindowLoop loop) {
  return window_overlap_distance(g, loop, bytes_of(v.input(0)), bytes_of(v.output(0)));
}

// A 1x1 CONV_2D stages its input pixel (in_c elements of scratch), so the pixel's outputs need
// not stay clear of it: with out_c <= in_c and stride 1 the output may start on the input.
void conv(const OperatorView& v, KernelId staged, OperatorMemory& m) {
  const WindowGeometry g = conv_geometry(v, false);
  if (g.filter_h != 1 || g.filter_w != 1) {
    m.overlaps.push_back({0, 0, window(v, g, WindowLoop::dense)});
    return;
  }
  m.kernel = std::string(kernel_function(staged));
  m.scratch = {{checked_product(v, {g.in_c, bytes_of(v.input(0))}), "staged input pixel", 0, 0}};
  m.overlaps.push_back({0, 0, window(v, g, WindowLoop::staged)});
}

// A DEPTHWISE_CONV_2D (multiplier 1) keeps its halo in a ring when that costs no more bytes than
// the halo's distance: the output may then start on the input, so a chain of depthwise layers
// does not drift down the arena by a halo each.
void depthwise(const OperatorView& v, KernelId ring, bool allowed, OperatorMemory& m) {
  const WindowGeometry g = conv_geometry(v, true);
  const Bytes halo = window(v, g, WindowLoop::channelwise);
  const bool fits = g.depth_multiplier == 1 && g.out_c == g.in_c && g.filter_h * g.filter_w <= kDepthwiseRingMaxTaps;
  const std::int64_t pixels = allowed && fits ? depthwise_ring_pixels(g) : 0;
  const Bytes ring_bytes = checked_product(v, {pixels, g.in_c, bytes_of(v.input(0))});
  if (pixels == 0 || ring_bytes > halo) {
    m.overlaps.push_back({0, 0, halo});
    return;
  }
  m.kernel = std::string(kernel_function(ring));
  m.scratch = {{ring_bytes, "depthwise halo ring", 0, 0}};
  m.overlaps.push_back({0, 0, 0});
}

}  // namespace

void declare_arenaplan_overlaps(const OperatorView& v, OperatorMemory& m, bool halo_rings) {
  const auto id = kernel_id(m.kernel);
  if (!m.known || !id) return;
  const OperatorMemory plain = m;
  try {
    switch (*id) {
      case KernelId::conv2d_s8: conv(v, KernelId::conv2d_s8_staged, m); break;
      case KernelId::conv2d_f32: conv(v, KernelId::conv2d_f32_staged, m); break;
      case KernelId::conv2d_u8:
        m.overlaps.push_back({0, 0, window(v, conv_geometry(v, false), WindowLoop::dense)});
        break;
      // One channel plane at a time (TinyEngine) would let the output start on the input itself
      // but not anywhere below it (a lower output lands on channels not yet copied), which an
      // allowance must allow: the row-order loop, with its halo or with the halo in a ring.
      case KernelId::depthwise_conv2d_s8: depthwise(v, KernelId::depthwise_conv2d_s8_ring, halo_rings, m); break;
      case KernelId::depthwise_conv2d_f32: depthwise(v, KernelId::depthwise_conv2d_f32_ring, halo_rings, m); break;
      case KernelId::depthwise_conv2d_u8:
        m.overlaps.push_back({0, 0, window(v, conv_geometry(v, true), WindowLoop::channelwise)});
        break;
      case KernelId::average_pool_s8:
      case KernelId::average_pool_f32:
      case KernelId::max_pool_s8:
      case KernelId::max_pool_f32:
      case KernelId::average_pool_u8:
      case KernelId::max_pool_u8:
        m.overlaps.push_back({0, 0, window(v, pool_geometry(v), WindowLoop::channelwise)});
        break;
      case KernelId::add_s8:
      case KernelId::add_f32:
      case KernelId::add_u8:
      case KernelId::sub_s16: elementwise(v, 2, m); break;
      // SOFTMAX reads a row in full before its last pass, which reads x[c] and then writes y[c].
      case KernelId::softmax_s8:
      case KernelId::softmax_f32:
      case KernelId::softmax_u8:
      case KernelId::quantize_f32_s8:
      case KernelId::requantize_s8:
      case KernelId::dequantize_s8_f32:
      case KernelId::leaky_relu_s16:
      case KernelId::leaky_relu_f32:
      case KernelId::copy: elementwise(v, 1, m); break;  // ap_copy is memmove
      case KernelId::relu_q:
      case KernelId::relu_f32:
      case KernelId::lookup_8bit:
      case KernelId::logistic_f32:
      case KernelId::tanh_f32:
      case KernelId::hard_swish_f32:
      case KernelId::quantize_f32:
      case KernelId::dequantize_f32:
      case KernelId::cast:
      case KernelId::rsqrt_f32:
      case KernelId::log_softmax_f32:
      case KernelId::log_softmax_s8: elementwise(v, 1, m); break;
      case KernelId::mul_q:
      case KernelId::mul_f32:
      case KernelId::maximum:
      case KernelId::minimum:
      case KernelId::binary_f32:
      case KernelId::floor_mod:
      case KernelId::binary_s32: unbroadcast_inputs(v, m); break;
      default: break;
    }
  } catch (const InputError&) {
    m = plain;  // malformed shapes: the C emitter reports them
  }
}

}  // namespace arenaplan::kernels
