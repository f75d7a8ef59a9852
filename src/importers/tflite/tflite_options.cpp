// Builtin operator options that memory planning needs (kernel scratch sizes depend on them).
#include "importers/tflite/tflite_internal.h"

namespace arenaplan::tflite_import {
namespace {

std::int64_t padding_value(tflite::Padding p) { return p == tflite::Padding::VALID ? kPaddingValid : kPaddingSame; }

}  // namespace

void read_builtin_options(const tflite::Operator& op, Operator& out) {
  auto& a = out.attributes;
  if (const auto* o = op.builtin_options_as_Conv2DOptions()) {
    a["padding"] = padding_value(o->padding());
    a["stride_w"] = o->stride_w();
    a["stride_h"] = o->stride_h();
    a["dilation_w"] = o->dilation_w_factor();
    a["dilation_h"] = o->dilation_h_factor();
    a["fused_activation"] = static_cast<std::int64_t>(o->fused_activation_function());
  } else if (const auto* dw = op.builtin_options_as_DepthwiseConv2DOptions()) {
    a["padding"] = padding_value(dw->padding());
    a["stride_w"] = dw->stride_w();
    a["stride_h"] = dw->stride_h();
    a["depth_multiplier"] = dw->depth_multiplier();
    a["dilation_w"] = dw->dilation_w_factor();
    a["dilation_h"] = dw->dilation_h_factor();
    a["fused_activation"] = static_cast<std::int64_t>(dw->fused_activation_function());
  } else if (const auto* pool = op.builtin_options_as_Pool2DOptions()) {
    a["padding"] = padding_value(pool->padding());
    a["stride_w"] = pool->stride_w();
    a["stride_h"] = pool->stride_h();
    a["filter_w"] = pool->filter_width();
    a["filter_h"] = pool->filter_height();
    a["fused_activation"] = static_cast<std::int64_t>(pool->fused_activation_function());
  } else if (const auto* fc = op.builtin_options_as_FullyConnectedOptions()) {
    a["weights_format"] = static_cast<std::int64_t>(fc->weights_format());
    a["keep_num_dims"] = fc->keep_num_dims() ? 1 : 0;
    a["asymmetric_quantize_inputs"] = fc->asymmetric_quantize_inputs() ? 1 : 0;
    a["fused_activation"] = static_cast<std::int64_t>(fc->fused_activation_function());
  } else if (const auto* svdf = op.builtin_options_as_SVDFOptions()) {
    a["rank"] = svdf->rank();
    a["fused_activation"] = static_cast<std::int64_t>(svdf->fused_activation_function());
  } else if (const auto* lstm = op.builtin_options_as_UnidirectionalSequenceLSTMOptions()) {
    a["time_major"] = lstm->time_major() ? 1 : 0;
    a["fused_activation"] = static_cast<std::int64_t>(lstm->fused_activation_function());
    out.real_attributes["cell_clip"] = lstm->cell_clip();
    out.real_attributes["proj_clip"] = lstm->proj_clip();
  } else if (const auto* reducer = op.builtin_options_as_ReducerOptions()) {
    a["keep_dims"] = reducer->keep_dims() ? 1 : 0;
  } else if (const auto* tconv = op.builtin_options_as_TransposeConvOptions()) {
    a["padding"] = padding_value(tconv->padding());
    a["stride_w"] = tconv->stride_w();
    a["stride_h"] = tconv->stride_h();
  } else if (const auto* concat = op.builtin_options_as_ConcatenationOptions()) {
    a["axis"] = concat->axis();
    a["fused_activation"] = static_cast<std::int64_t>(concat->fused_activation_function());
  } else if (const auto* slice = op.builtin_options_as_StridedSliceOptions()) {
    a["begin_mask"] = slice->begin_mask();
    a["end_mask"] = slice->end_mask();
    a["ellipsis_mask"] = slice->ellipsis_mask();
    a["new_axis_mask"] = slice->new_axis_mask();
    a["shrink_axis_mask"] = slice->shrink_axis_mask();
    a["offset"] = slice->offset() ? 1 : 0;
  } else if (const auto* gather = op.builtin_options_as_GatherOptions()) {
    a["axis"] = gather->axis();
    a["batch_dims"] = gather->batch_dims();
  } else if (const auto* sub = op.builtin_options_as_SubOptions()) {
    a["fused_activation"] = static_cast<std::int64_t>(sub->fused_activation_function());
    a["pot_scale_int16"] = sub->pot_scale_int16() ? 1 : 0;
  } else if (const auto* leaky = op.builtin_options_as_LeakyReluOptions()) {
    out.real_attributes["alpha"] = leaky->alpha();
  } else if (const auto* mirror = op.builtin_options_as_MirrorPadOptions()) {
    a["mode"] = static_cast<std::int64_t>(mirror->mode());
  } else if (const auto* add = op.builtin_options_as_AddOptions()) {
    a["fused_activation"] = static_cast<std::int64_t>(add->fused_activation_function());
  } else if (const auto* softmax = op.builtin_options_as_SoftmaxOptions()) {
    out.real_attributes["beta"] = softmax->beta();
  } else if (const auto* mul = op.builtin_options_as_MulOptions()) {
    a["fused_activation"] = static_cast<std::int64_t>(mul->fused_activation_function());
  } else if (const auto* div = op.builtin_options_as_DivOptions()) {
    a["fused_activation"] = static_cast<std::int64_t>(div->fused_activation_function());
  } else if (const auto* pack = op.builtin_options_as_PackOptions()) {
    a["axis"] = pack->axis();
  } else if (const auto* unpack = op.builtin_options_as_UnpackOptions()) {
    a["axis"] = unpack->axis();
  } else if (const auto* bilinear = op.builtin_options_as_ResizeBilinearOptions()) {
    a["align_corners"] = bilinear->align_corners() ? 1 : 0;
    a["half_pixel_centers"] = bilinear->half_pixel_centers() ? 1 : 0;
  } else if (const auto* nearest = op.builtin_options_as_ResizeNearestNeighborOptions()) {
    a["align_corners"] = nearest->align_corners() ? 1 : 0;
    a["half_pixel_centers"] = nearest->half_pixel_centers() ? 1 : 0;
  }
}

}  // namespace arenaplan::tflite_import
