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

void window(const OperatorView& v, const WindowGeometry& g, bool channelwise, OperatorMemory& m) {
  m.overlaps.push_back({0, 0, window_overlap_distance(g, channelwise, bytes_of(v.input(0)), bytes_of(v.output(0)))});
}

}  // namespace

void declare_arenaplan_overlaps(const OperatorView& v, OperatorMemory& m) {
  const auto id = kernel_id(m.kernel);
  if (!m.known || !id) return;
  try {
    switch (*id) {
      case KernelId::conv2d_s8:
      case KernelId::conv2d_f32: window(v, conv_geometry(v, false), false, m); break;
      case KernelId::depthwise_conv2d_s8:
      case KernelId::depthwise_conv2d_f32: window(v, conv_geometry(v, true), true, m); break;
      case KernelId::average_pool_s8:
      case KernelId::average_pool_f32:
      case KernelId::max_pool_s8:
      case KernelId::max_pool_f32: window(v, pool_geometry(v), true, m); break;
      case KernelId::add_s8:
      case KernelId::add_f32:
      case KernelId::sub_s16: elementwise(v, 2, m); break;
      // SOFTMAX reads a row in full before its last pass, which reads x[c] and then writes y[c].
      case KernelId::softmax_s8:
      case KernelId::softmax_f32:
      case KernelId::quantize_f32_s8:
      case KernelId::requantize_s8:
      case KernelId::dequantize_s8_f32:
      case KernelId::leaky_relu_s16:
      case KernelId::leaky_relu_f32:
      case KernelId::copy: elementwise(v, 1, m); break;  // ap_copy is memmove
      default: break;
    }
  } catch (const InputError&) {
    m.overlaps.clear();  // malformed shapes: the C emitter reports them
  }
}

}  // namespace arenaplan::kernels
