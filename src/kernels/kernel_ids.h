// The kernels of the C runtime (runtime/arenaplan_kernels.h), named once: the `arenaplan`
// profile says which one an operator runs (OperatorMemory::kernel holds its C function name) and
// the C emitter switches on the identifier to write its call, so an identifier without an
// emitter case is a compile error (-Wswitch), not a string that silently fails to match.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace arenaplan::kernels {

enum class KernelId {
  conv2d_s8,
  conv2d_f32,
  conv2d_hybrid,
  depthwise_conv2d_s8,
  depthwise_conv2d_f32,
  depthwise_conv2d_hybrid,
  fully_connected_s8,
  fully_connected_f32,
  fully_connected_hybrid,
  add_s8,
  add_f32,
  average_pool_s8,
  average_pool_f32,
  max_pool_s8,
  max_pool_f32,
  softmax_s8,
  softmax_f32,
  quantize_f32_s8,
  requantize_s8,
  dequantize_s8_f32,
  copy,
  pad,
  slice,
  concatenation,
  split,
  gather,
  mean_f32,
  sub_s16,
  sub_s16_broadcast,
  leaky_relu_s16,
  leaky_relu_f32,
  conv2d_s16,
  transpose_conv_s16,
  requantize,
  // Variants whose output may start on their dying input (src/kernels/arenaplan_overlaps.cpp).
  conv2d_s8_staged,
  conv2d_f32_staged,
  // uint8, TFLite's legacy asymmetric per-tensor scheme (runtime/kernels_uint8.c).
  conv2d_u8,
  depthwise_conv2d_u8,
  fully_connected_u8,
  add_u8,
  average_pool_u8,
  max_pool_u8,
  softmax_u8,
  resize_bilinear_f32,
  resize_bilinear_u8,
  resize_bilinear_s8,
  resize_nearest,
  concatenation_u8,
  add_u8_broadcast,
  svdf_s8,
  svdf_f32,
  softmax_s8_s16,
  lstm_s8,
  lstm_f32,
  // The generic operators (src/kernels/arenaplan_generic_rules.cpp).
  transpose,
  relu_q,
  relu_f32,
  lookup_8bit,
  logistic_f32,
  tanh_f32,
  hard_swish_f32,
  mul_q,
  mul_f32,
  maximum,
  minimum,
  quantize_f32,
  dequantize_f32,
  arg_min_max,
  cast,
  binary_f32,
  floor_mod,
  rsqrt_f32,
  log_softmax_f32,
  log_softmax_s8,
  space_to_batch,
  batch_to_space,
  binary_s32,
  lrn_f32,  // LOCAL_RESPONSE_NORMALIZATION (ONNX LRN)
  depthwise_conv2d_s8_ring,
  depthwise_conv2d_f32_ring,
  // TFLite Micro's Signal library (runtime/kernels_signal.c).
  signal_window,
  signal_fft_auto_scale,
  signal_rfft_s16,
  signal_energy,
  signal_filter_bank,
  signal_filter_bank_sqrt,
  signal_spectral_subtraction,
  signal_pcan,
  signal_filter_bank_log,
  // TFLite_Detection_PostProcess (runtime/kernels_detection.c).
  detection_postprocess,
  // PosenetDecoderOp (runtime/kernels_posenet.c).
  posenet_decoder,
  // int16 LOGISTIC / TANH (runtime/kernels_activation16.c), integer MEAN / SUM.
  logistic_s16,
  tanh_s16,
  mean_sum_q,
  softmax_s16,
};

// The C function of every kernel, in enum order.
inline constexpr std::array<std::pair<KernelId, std::string_view>, 95> kKernelFunctions{{
    {KernelId::conv2d_s8, "ap_conv2d_s8"},
    {KernelId::conv2d_f32, "ap_conv2d_f32"},
    {KernelId::conv2d_hybrid, "ap_conv2d_hybrid"},
    {KernelId::depthwise_conv2d_s8, "ap_depthwise_conv2d_s8"},
    {KernelId::depthwise_conv2d_f32, "ap_depthwise_conv2d_f32"},
    {KernelId::depthwise_conv2d_hybrid, "ap_depthwise_conv2d_hybrid"},
    {KernelId::fully_connected_s8, "ap_fully_connected_s8"},
    {KernelId::fully_connected_f32, "ap_fully_connected_f32"},
    {KernelId::fully_connected_hybrid, "ap_fully_connected_hybrid"},
    {KernelId::add_s8, "ap_add_s8"},
    {KernelId::add_f32, "ap_add_f32"},
    {KernelId::average_pool_s8, "ap_average_pool_s8"},
    {KernelId::average_pool_f32, "ap_average_pool_f32"},
    {KernelId::max_pool_s8, "ap_max_pool_s8"},
    {KernelId::max_pool_f32, "ap_max_pool_f32"},
    {KernelId::softmax_s8, "ap_softmax_s8"},
    {KernelId::softmax_f32, "ap_softmax_f32"},
    {KernelId::quantize_f32_s8, "ap_quantize_f32_s8"},
    {KernelId::requantize_s8, "ap_requantize_s8"},
    {KernelId::dequantize_s8_f32, "ap_dequantize_s8_f32"},
    {KernelId::copy, "ap_copy"},
    {KernelId::pad, "ap_pad"},
    {KernelId::slice, "ap_slice"},
    {KernelId::concatenation, "ap_concatenation"},
    {KernelId::split, "ap_split"},
    {KernelId::gather, "ap_gather"},
    {KernelId::mean_f32, "ap_mean_f32"},
    {KernelId::sub_s16, "ap_sub_s16"},
    {KernelId::sub_s16_broadcast, "ap_sub_s16_broadcast"},
    {KernelId::leaky_relu_s16, "ap_leaky_relu_s16"},
    {KernelId::leaky_relu_f32, "ap_leaky_relu_f32"},
    {KernelId::conv2d_s16, "ap_conv2d_s16"},
    {KernelId::transpose_conv_s16, "ap_transpose_conv_s16"},
    {KernelId::requantize, "ap_requantize"},
    {KernelId::conv2d_s8_staged, "ap_conv2d_s8_staged"},
    {KernelId::conv2d_f32_staged, "ap_conv2d_f32_staged"},
    {KernelId::conv2d_u8, "ap_conv2d_u8"},
    {KernelId::depthwise_conv2d_u8, "ap_depthwise_conv2d_u8"},
    {KernelId::fully_connected_u8, "ap_fully_connected_u8"},
    {KernelId::add_u8, "ap_add_u8"},
    {KernelId::average_pool_u8, "ap_average_pool_u8"},
    {KernelId::max_pool_u8, "ap_max_pool_u8"},
    {KernelId::softmax_u8, "ap_softmax_u8"},
    {KernelId::resize_bilinear_f32, "ap_resize_bilinear_f32"},
    {KernelId::resize_bilinear_u8, "ap_resize_bilinear_u8"},
    {KernelId::resize_bilinear_s8, "ap_resize_bilinear_s8"},
    {KernelId::resize_nearest, "ap_resize_nearest"},
    {KernelId::concatenation_u8, "ap_concatenation_u8"},
    {KernelId::add_u8_broadcast, "ap_add_u8_broadcast"},
    {KernelId::svdf_s8, "ap_svdf_s8"},
    {KernelId::svdf_f32, "ap_svdf_f32"},
    {KernelId::softmax_s8_s16, "ap_softmax_s8_s16"},
    {KernelId::lstm_s8, "ap_lstm_s8"},
    {KernelId::lstm_f32, "ap_lstm_f32"},
    {KernelId::transpose, "ap_transpose"},
    {KernelId::relu_q, "ap_relu_q"},
    {KernelId::relu_f32, "ap_relu_f32"},
    {KernelId::lookup_8bit, "ap_lookup_8bit"},
    {KernelId::logistic_f32, "ap_logistic_f32"},
    {KernelId::tanh_f32, "ap_tanh_f32"},
    {KernelId::hard_swish_f32, "ap_hard_swish_f32"},
    {KernelId::mul_q, "ap_mul_q"},
    {KernelId::mul_f32, "ap_mul_f32"},
    {KernelId::maximum, "ap_maximum"},
    {KernelId::minimum, "ap_minimum"},
    {KernelId::quantize_f32, "ap_quantize_f32"},
    {KernelId::dequantize_f32, "ap_dequantize_f32"},
    {KernelId::arg_min_max, "ap_arg_min_max"},
    {KernelId::cast, "ap_cast"},
    {KernelId::binary_f32, "ap_binary_f32"},
    {KernelId::floor_mod, "ap_floor_mod"},
    {KernelId::rsqrt_f32, "ap_rsqrt_f32"},
    {KernelId::log_softmax_f32, "ap_log_softmax_f32"},
    {KernelId::log_softmax_s8, "ap_log_softmax_s8"},
    {KernelId::space_to_batch, "ap_space_to_batch"},
    {KernelId::batch_to_space, "ap_batch_to_space"},
    {KernelId::binary_s32, "ap_binary_s32"},
    {KernelId::lrn_f32, "ap_lrn_f32"},
    {KernelId::depthwise_conv2d_s8_ring, "ap_depthwise_conv2d_s8_ring"},
    {KernelId::depthwise_conv2d_f32_ring, "ap_depthwise_conv2d_f32_ring"},
    {KernelId::signal_window, "ap_signal_window"},
    {KernelId::signal_fft_auto_scale, "ap_signal_fft_auto_scale"},
    {KernelId::signal_rfft_s16, "ap_signal_rfft_s16"},
    {KernelId::signal_energy, "ap_signal_energy"},
    {KernelId::signal_filter_bank, "ap_signal_filter_bank"},
    {KernelId::signal_filter_bank_sqrt, "ap_signal_filter_bank_sqrt"},
    {KernelId::signal_spectral_subtraction, "ap_signal_spectral_subtraction"},
    {KernelId::signal_pcan, "ap_signal_pcan"},
    {KernelId::signal_filter_bank_log, "ap_signal_filter_bank_log"},
    {KernelId::detection_postprocess, "ap_detection_postprocess"},
    {KernelId::posenet_decoder, "ap_posenet_decoder"},
    {KernelId::logistic_s16, "ap_logistic_s16"},
    {KernelId::tanh_s16, "ap_tanh_s16"},
    {KernelId::mean_sum_q, "ap_mean_sum_q"},
    {KernelId::softmax_s16, "ap_softmax_s16"},
}};

constexpr std::string_view kernel_function(KernelId id) {
  return kKernelFunctions[static_cast<std::size_t>(id)].second;
}

// The identifier of a C function name (an OperatorMemory::kernel of the `arenaplan` profile).
constexpr std::optional<KernelId> kernel_id(std::string_view function) {
  for (const auto& [id, name] : kKernelFunctions)
    if (name == function) return id;
  return std::nullopt;
}

// The table is in enum order (kernel_function indexes it).
constexpr bool table_in_enum_order() {
  for (std::size_t i = 0; i < kKernelFunctions.size(); ++i)
    if (static_cast<std::size_t>(kKernelFunctions[i].first) != i) return false;
  return true;
}
static_assert(table_in_enum_order(), "kKernelFunctions must list the kernels in KernelId order");

}  // namespace arenaplan::kernels
