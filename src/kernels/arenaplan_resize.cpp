// RESIZE_BILINEAR / RESIZE_NEAREST_NEIGHBOR in the `arenaplan` profile. TFLite resizes without
// requantizing, so the output must be quantized as the input.
#include "kernels/arenaplan_resize.h"

#include "kernels/kernel_ids.h"
#include "kernels/rules.h"

namespace arenaplan::kernels {

std::optional<ResizeGeometry> resize_geometry(const OperatorView& v) {
  if (v.input_count() < 2 || v.output_count() < 1 || !v.has_input(1)) return std::nullopt;
  const Tensor& in = v.input(0);
  const Tensor& out = v.output(0);
  if (in.shape.size() != 4 || out.shape.size() != 4) return std::nullopt;
  const auto size = v.constant_ints(1);
  if (!size || size->size() != 2 || (*size)[0] != out.shape[1] || (*size)[1] != out.shape[2]) return std::nullopt;
  for (std::size_t d = 0; d < 4; ++d)
    if (in.shape[d] <= 0 || out.shape[d] <= 0) return std::nullopt;
  if (in.shape[0] != out.shape[0] || in.shape[3] != out.shape[3]) return std::nullopt;
  ResizeGeometry g{in.shape[0],
                   in.shape[1],
                   in.shape[2],
                   in.shape[3],
                   out.shape[1],
                   out.shape[2],
                   v.attribute("align_corners", 0) != 0,
                   v.attribute("half_pixel_centers", 0) != 0};
  // 2^10 * size must fit the int32 arithmetic of the integer kernel (and of TFLite's).
  for (std::int64_t d : {g.in_h, g.in_w, g.out_h, g.out_w})
    if (d > (1 << 20)) return std::nullopt;
  return g;
}

std::optional<OperatorMemory> resize_rule(const OperatorView& v) {
  const auto g = resize_geometry(v);
  if (!g) return not_modelled("resize of a non-empty 4-D NHWC tensor to a constant size equal to the output's");
  if (g->align_corners && g->half_pixel_centers) return not_modelled("align_corners with half_pixel_centers");
  const Tensor& in = v.input(0);
  const Tensor& out = v.output(0);
  if (in.type != out.type || in.quantization.scale != out.quantization.scale ||
      in.quantization.zero_point != out.quantization.zero_point)
    return not_modelled("resize keeps the type and quantization");
  if (v.op().opcode == "RESIZE_NEAREST_NEIGHBOR") {
    switch (in.type) {
      case DataType::int8:
      case DataType::uint8:
      case DataType::int16:
      case DataType::int32:
      case DataType::float32: return no_scratch(kernel_function(KernelId::resize_nearest));
      default: return not_modelled("RESIZE_NEAREST_NEIGHBOR of a 1, 2 or 4-byte type");
    }
  }
  switch (in.type) {
    case DataType::float32: return no_scratch(kernel_function(KernelId::resize_bilinear_f32));
    case DataType::uint8: return no_scratch(kernel_function(KernelId::resize_bilinear_u8));
    case DataType::int8: return no_scratch(kernel_function(KernelId::resize_bilinear_s8));
    default: return not_modelled("RESIZE_BILINEAR takes float32, uint8 or int8");
  }
}

}  // namespace arenaplan::kernels
