// The kernel call of each supported operator, with its parameters computed here (TFLite's
// preparation steps: padding, fixed-point multipliers, activation ranges).
#include "emit/c_operators.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "arenaplan/error.h"
#include "arenaplan/kernels.h"
#include "emit/c_call_parts.h"
#include "emit/c_detection.h"
#include "emit/c_generic_operators.h"
#include "emit/c_signal.h"
#include "emit/quantization.h"
#include "kernels/arenaplan_resize.h"
#include "kernels/kernel_ids.h"
#include "kernels/operator_view.h"
#include "kernels/shape_geometry.h"

namespace arenaplan::c_out {
namespace {

using kernels::OperatorView;

// A call `f(a, b, c);` longer than a line, with one argument per line (continuation indented
// for the two-space body the call goes into).
std::string wrapped(const std::string& call) {
  if (call.size() <= 100 || call.front() == '{') return call;
  const std::size_t open = call.find('(');
  if (open == std::string::npos) return call;
  std::vector<std::string> args;
  int depth = 0;
  std::size_t start = open + 1;
  for (std::size_t i = open; i < call.size(); ++i) {
    const char c = call[i];
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) {
      args.push_back(call.substr(start, i - start));
      return fmt::format("{}(\n      {}{}", call.substr(0, open), fmt::join(args, ",\n      "), call.substr(i));
    }
    if (c == ',' && depth == 1) {
      args.push_back(call.substr(start, i - start));
      start = i + 2;  // ", "
    }
  }
  return call;
}

using kernels::KernelId;

class Emitter {
 public:
  Emitter(const Graph& graph, std::size_t op, const OperandPointers& pointers, const std::string& symbol,
          const OperatorMemory& memory)
      : v_(graph, op), p_(pointers), sym_(symbol), kernel_(memory.kernel), memory_(memory) {}

  KernelCall run() {
    const std::optional<KernelId> id = kernels::kernel_id(kernel_);
    if (!id) v_.fail(fmt::format("no C emitter for kernel '{}'", kernel_));
    switch (*id) {
      case KernelId::conv2d_s8: conv(false, true); break;
      case KernelId::conv2d_f32: conv(false, false); break;
      case KernelId::depthwise_conv2d_s8: conv(true, true); break;
      case KernelId::depthwise_conv2d_f32: conv(true, false); break;
      case KernelId::conv2d_hybrid:
      case KernelId::depthwise_conv2d_hybrid:
      case KernelId::fully_connected_hybrid: hybrid(*id); break;
      case KernelId::fully_connected_s8: fully_connected(true); break;
      case KernelId::fully_connected_f32: fully_connected(false); break;
      case KernelId::add_s8: add(true); break;
      case KernelId::add_f32: add(false); break;
      case KernelId::average_pool_s8:
      case KernelId::max_pool_s8: pool(true); break;
      case KernelId::average_pool_f32:
      case KernelId::max_pool_f32: pool(false); break;
      case KernelId::softmax_s8: softmax(true); break;
      case KernelId::softmax_f32: softmax(false); break;
      case KernelId::quantize_f32_s8: quantize_f32(); break;
      case KernelId::requantize_s8: requantize(); break;
      case KernelId::dequantize_s8_f32: dequantize(); break;
      case KernelId::copy: copy(); break;
      case KernelId::pad: pad(); break;
      case KernelId::slice: slice(); break;
      case KernelId::concatenation: concatenation(); break;
      case KernelId::split: split(); break;
      case KernelId::gather: gather(); break;
      case KernelId::mean_f32: mean(); break;
      case KernelId::sub_s16: sub_s16(false); break;
      case KernelId::sub_s16_broadcast: sub_s16(true); break;
      case KernelId::leaky_relu_s16: leaky_relu(true); break;
      case KernelId::leaky_relu_f32: leaky_relu(false); break;
      case KernelId::conv2d_s16: conv16x8(false); break;
      case KernelId::transpose_conv_s16: conv16x8(true); break;
      case KernelId::requantize: requantize_any(); break;
      case KernelId::conv2d_s8_staged: conv(false, true); break;
      case KernelId::conv2d_f32_staged: conv(false, false); break;
      case KernelId::conv2d_u8: weighted_u8(false, false); break;
      case KernelId::depthwise_conv2d_u8: weighted_u8(true, false); break;
      case KernelId::fully_connected_u8: weighted_u8(false, true); break;
      case KernelId::add_u8: add(true, kU8); break;
      case KernelId::add_u8_broadcast: add(true, kU8, true); break;
      case KernelId::average_pool_u8:
      case KernelId::max_pool_u8: pool(true, kU8); break;
      case KernelId::softmax_u8: softmax(true, kU8); break;
      case KernelId::resize_bilinear_f32: resize("float"); break;
      case KernelId::resize_bilinear_u8: resize("uint8_t"); break;
      case KernelId::resize_bilinear_s8: resize("int8_t"); break;
      case KernelId::resize_nearest: resize(nullptr); break;
      case KernelId::concatenation_u8: concatenation_u8(); break;
      case KernelId::svdf_s8: svdf(true); break;
      case KernelId::svdf_f32: svdf(false); break;
      case KernelId::softmax_s8_s16: softmax(true, kS8, "int16_t"); break;
      case KernelId::lstm_s8: lstm(true); break;
      case KernelId::lstm_f32: lstm(false); break;
      case KernelId::transpose:
      case KernelId::relu_q:
      case KernelId::relu_f32:
      case KernelId::lookup_8bit:
      case KernelId::logistic_f32:
      case KernelId::tanh_f32:
      case KernelId::hard_swish_f32:
      case KernelId::mul_q:
      case KernelId::mul_f32:
      case KernelId::maximum:
      case KernelId::minimum:
      case KernelId::quantize_f32:
      case KernelId::dequantize_f32:
      case KernelId::arg_min_max:
      case KernelId::cast:
      case KernelId::binary_f32:
      case KernelId::floor_mod:
      case KernelId::rsqrt_f32:
      case KernelId::log_softmax_f32:
      case KernelId::log_softmax_s8:
      case KernelId::space_to_batch:
      case KernelId::batch_to_space:
      case KernelId::binary_s32:
      case KernelId::logistic_s16:
      case KernelId::tanh_s16:
      case KernelId::mean_sum_q:
      case KernelId::softmax_s16: call_ = generic_kernel_call(v_, p_, sym_, *id); break;
      case KernelId::lrn_f32: lrn(); break;
      case KernelId::depthwise_conv2d_s8_ring: conv(true, true); break;
      case KernelId::depthwise_conv2d_f32_ring: conv(true, false); break;
      case KernelId::signal_window:
      case KernelId::signal_fft_auto_scale:
      case KernelId::signal_rfft_s16:
      case KernelId::signal_energy:
      case KernelId::signal_filter_bank:
      case KernelId::signal_filter_bank_sqrt:
      case KernelId::signal_spectral_subtraction:
      case KernelId::signal_pcan:
      case KernelId::signal_filter_bank_log: signal_call(v_, *id, p_, sym_, call_); break;
      case KernelId::detection_postprocess: detection_call(v_, p_, sym_, call_); break;
      case KernelId::posenet_decoder: posenet_call(v_, p_, sym_, call_); break;
    }
    call_.statement = wrapped(call_.statement);
    return std::move(call_);
  }

 private:
  std::int64_t activation() const { return v_.attribute("fused_activation", 0); }
  const std::string& k() const { return kernel_; }
  std::string name(const char* what) const { return sym_ + what; }

  void int32_table(const std::string& table, const std::vector<std::int32_t>& values) {
    call_.definitions +=
        fmt::format("static const int32_t {}[{}] = {{{}}};\n", table, values.size(), fmt::join(values, ", "));
  }

  void define(std::string_view type, const char* what, const std::vector<Field>& fields) {
    call_.definitions += initialiser(type, name(what), fields);
  }

  // Per-output-channel multipliers for input * weights -> output (per-tensor weights repeat), as
  // the tables `<sym>multiplier` and `<sym>shift`.
  // TFLite multiplies the input and weight scales in double for convolutions
  // (PopulateConvolutionQuantizationParams) but in float for a per-tensor FULLY_CONNECTED
  // (GetQuantizedConvolutionMultipler); the last bit of the multiplier depends on it.
  void channel_multipliers(const Tensor& input, const Tensor& weights, const Tensor& output, std::int64_t channels,
                           bool float_product = false) {
    std::vector<std::int32_t> mult, shift;
    for (std::int64_t c = 0; c < channels; ++c) {
      const float w = scale_of(weights, static_cast<std::size_t>(c));
      const double product = float_product ? static_cast<double>(scale_of(input) * w)
                                           : static_cast<double>(scale_of(input)) * static_cast<double>(w);
      const double effective = product / static_cast<double>(scale_of(output));
      const Multiplier m = quantize_multiplier(effective);
      mult.push_back(m.multiplier);
      shift.push_back(m.shift);
    }
    int32_table(name("multiplier"), mult);
    int32_table(name("shift"), shift);
  }

  void conv(bool depthwise, bool s8) {
    const Tensor& input = v_.input(0);
    const Tensor& output = v_.output(0);
    conv_shape(depthwise);
    if (s8) {
      channel_multipliers(input, v_.input(1), output, v_.dim(output, 3));
      const auto [lo, hi] = activation_range_s8(activation(), output.quantization);
      define("ap_conv_quant", "quant",
             {{"input_offset", -zero_point(input)},
              {"output_offset", zero_point(output)},
              {"act_min", lo},
              {"act_max", hi},
              {"multiplier", name("multiplier")},
              {"shift", name("shift")}});
      weighted_call_s8();
    } else {
      weighted_call_f32();
    }
  }

  std::int32_t dimension(std::int64_t value) const { return narrow(v_, value, "dimension"); }

  // The ap_conv_shape `<sym>shape` of a CONV_2D or DEPTHWISE_CONV_2D.
  void conv_shape(bool depthwise) {
    const kernels::WindowGeometry g = kernels::conv_geometry(v_, depthwise);
    std::vector<Field> fields{{"batches", dimension(g.batches)},
                              {"in_h", dimension(g.in_h)},
                              {"in_w", dimension(g.in_w)},
                              {"in_c", dimension(g.in_c)},
                              {"out_h", dimension(g.out_h)},
                              {"out_w", dimension(g.out_w)},
                              {"out_c", dimension(g.out_c)},
                              {"filter_h", dimension(g.filter_h)},
                              {"filter_w", dimension(g.filter_w)},
                              {"stride_h", dimension(g.stride_h)},
                              {"stride_w", dimension(g.stride_w)},
                              {"dilation_h", dimension(g.dilation_h)},
                              {"dilation_w", dimension(g.dilation_w)},
                              {"pad_h", dimension(g.pad_h)},
                              {"pad_w", dimension(g.pad_w)},
                              {"depth_multiplier", dimension(g.depth_multiplier)}};
    if (p_.output_pixel_stride > 0) fields.push_back({"out_pixel_stride", dimension(p_.output_pixel_stride)});
    define("ap_conv_shape", "shape", fields);
  }

  // CONV_2D and TRANSPOSE_CONV, 16x8: per-channel multipliers as for int8 (TFLite's
  // PopulateConvolutionQuantizationParams), the activation range in int16, an int64 bias.
  void conv16x8(bool transpose) {
    const std::size_t input = transpose ? 2 : 0, bias = transpose ? 3 : 2;
    const Tensor& output = v_.output(0);
    if (transpose)
      transpose_conv_shape();
    else
      conv_shape(false);
    channel_multipliers(v_.input(input), v_.input(1), output, v_.dim(output, 3));
    const auto [lo, hi] = activation_range_quantized(activation(), output.quantization, INT16_MIN, INT16_MAX);
    define("ap_conv_quant", "quant",
           {{"input_offset", 0},
            {"output_offset", 0},
            {"act_min", lo},
            {"act_max", hi},
            {"multiplier", name("multiplier")},
            {"shift", name("shift")}});
    call_.statement = fmt::format("{}(&{}, &{}, {}, {}, {}, {});", k(), name("shape"), name("quant"),
                                  in(p_, input, "int16_t"), in(p_, 1, "int8_t"),
                                  v_.has_input(bias) ? in(p_, bias, "int64_t") : std::string("0"), out(p_, "int16_t"));
  }

  // The ap_conv_shape `<sym>shape` of a TRANSPOSE_CONV (input 2, weights 1 OHWI): TFLite pads
  // as a convolution from the output back to the input (ComputePaddingHeightWidth on the output).
  void transpose_conv_shape() {
    const Tensor& input = v_.input(2);
    const Tensor& filter = v_.input(1);
    const Tensor& output = v_.output(0);
    const std::int64_t stride_h = v_.attribute("stride_h", 1), stride_w = v_.attribute("stride_w", 1);
    if (v_.dim(input, 0) != v_.dim(output, 0) || v_.dim(filter, 0) != v_.dim(output, 3) ||
        v_.dim(filter, 3) != v_.dim(input, 3))
      v_.fail("filter shape does not match the input and output channels");
    define("ap_conv_shape", "shape",
           {{"batches", dimension(v_.dim(input, 0))},
            {"in_h", dimension(v_.dim(input, 1))},
            {"in_w", dimension(v_.dim(input, 2))},
            {"in_c", dimension(v_.dim(input, 3))},
            {"out_h", dimension(v_.dim(output, 1))},
            {"out_w", dimension(v_.dim(output, 2))},
            {"out_c", dimension(v_.dim(output, 3))},
            {"filter_h", dimension(v_.dim(filter, 1))},
            {"filter_w", dimension(v_.dim(filter, 2))},
            {"stride_h", dimension(stride_h)},
            {"stride_w", dimension(stride_w)},
            {"dilation_h", 1},
            {"dilation_w", 1},
            {"pad_h", dimension(v_.padding(v_.dim(output, 1), v_.dim(filter, 1), stride_h, 1))},
            {"pad_w", dimension(v_.padding(v_.dim(output, 2), v_.dim(filter, 2), stride_w, 1))},
            {"depth_multiplier", 1}});
  }

  // The ap_fc_shape `<sym>shape` of a FULLY_CONNECTED.
  void fc_shape() {
    const Tensor& input = v_.input(0);
    const Tensor& weights = v_.input(1);
    const std::int64_t out_depth = v_.dim(weights, 0), in_depth = v_.dim(weights, 1);
    if (in_depth <= 0 || input.elements() % in_depth != 0)
      v_.fail("input size is not a multiple of the weights' depth");
    const std::int64_t batches = input.elements() / in_depth;
    if (v_.output(0).elements() != batches * out_depth) v_.fail("output size does not match batches x units");
    define("ap_fc_shape", "shape",
           {{"batches", dimension(batches)}, {"in_depth", dimension(in_depth)}, {"out_depth", dimension(out_depth)}});
  }

  // Hybrid CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED: float32 activations, int8 weights. The
  // profile's scratch requests, in order: quantized input, per-batch scales, and (asymmetric input
  // quantization) per-batch zero points; the kernel follows the same choice through `asymmetric`.
  void hybrid(KernelId id) {
    const Tensor& weights = v_.input(1);
    const std::size_t scratch = memory_.scratch.size();
    if ((scratch != 2 && scratch != 3) || p_.scratch.size() != scratch)
      v_.fail("hybrid kernel without its scratch buffers");
    const bool asymmetric = scratch == 3;
    if (id == KernelId::fully_connected_hybrid)
      fc_shape();
    else
      conv_shape(id == KernelId::depthwise_conv2d_hybrid);
    const std::vector<float>& scales = weights.quantization.scale;
    std::vector<std::string> values;
    for (float scale : scales) values.push_back(real(scale));
    call_.definitions += fmt::format("static const float {}[{}] = {{{}}};\n", name("filter_scale"), values.size(),
                                     fmt::join(values, ", "));
    const auto [lo, hi] = activation_range_f32(activation());
    define("ap_hybrid_params", "params",
           {{"act_min", real(lo)},
            {"act_max", real(hi)},
            {"asymmetric", asymmetric ? 1 : 0},
            {"per_channel", scales.size() > 1 ? 1 : 0},
            {"filter_scales", name("filter_scale")}});
    call_.statement =
        fmt::format("{}(&{}, &{}, {}, {}, {}, {}, {}, {}, {});", k(), name("shape"), name("params"), in(p_, 0, "float"),
                    in(p_, 1, "int8_t"), bias("float"), typed("int8_t", p_.scratch[0]), typed("float", p_.scratch[1]),
                    asymmetric ? typed("int32_t", p_.scratch[2]) : std::string("0"), out(p_, "float"));
  }

  // k(&shape, &quant, input, weights, bias, output): int8 CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED.
  void weighted_call_s8() {
    call_.statement =
        fmt::format("{}(&{}, &{}, {}, {}, {}, {}{});", k(), name("shape"), name("quant"), in(p_, 0, "int8_t"),
                    in(p_, 1, "int8_t"), bias("int32_t"), staging("int8_t"), out(p_, "int8_t"));
  }

  // The _staged and _ring variants take their one scratch buffer before the output.
  std::string staging(const char* type) const {
    if (memory_.scratch.empty()) return "";
    if (p_.scratch.size() != 1) v_.fail("staging kernel without its scratch buffer");
    return typed(type, p_.scratch[0]) + ", ";
  }

  // k(&shape, act_min, act_max, input, weights, bias, output): their float32 versions.
  void weighted_call_f32() {
    const auto [lo, hi] = activation_range_f32(activation());
    call_.statement =
        fmt::format("{}(&{}, {}, {}, {}, {}, {}, {}{});", k(), name("shape"), real(lo), real(hi), in(p_, 0, "float"),
                    in(p_, 1, "float"), bias("float"), staging("float"), out(p_, "float"));
  }

  std::string bias(const char* type) const { return v_.has_input(2) ? in(p_, 2, type) : std::string("0"); }

  void fully_connected(bool s8) {
    const Tensor& input = v_.input(0);
    const Tensor& weights = v_.input(1);
    const Tensor& output = v_.output(0);
    fc_shape();
    if (!s8) return weighted_call_f32();
    const bool per_channel = weights.quantization.scale.size() > 1;
    channel_multipliers(input, weights, output, per_channel ? v_.dim(weights, 0) : 1, !per_channel);
    const auto [lo, hi] = activation_range_s8(activation(), output.quantization);
    define("ap_fc_quant", "quant",
           {{"input_offset", -zero_point(input)},
            {"weights_offset", -zero_point(weights)},
            {"output_offset", zero_point(output)},
            {"act_min", lo},
            {"act_max", hi},
            {"per_channel", per_channel ? 1 : 0},
            {"multiplier", name("multiplier")},
            {"shift", name("shift")}});
    weighted_call_s8();
  }

  // The C type and value range of a quantized 8-bit kernel's operands.
  struct Q8 {
    const char* type;
    std::int32_t min, max;
  };
  static constexpr Q8 kS8{"int8_t", INT8_MIN, INT8_MAX};
  static constexpr Q8 kU8{"uint8_t", 0, UINT8_MAX};

  std::pair<std::int32_t, std::int32_t> range(const Q8& q, const Tensor& output) const {
    return activation_range_quantized(activation(), output.quantization, q.min, q.max);
  }

  // uint8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED: one multiplier for the tensor, from the
  // float product of the input and weight scales (TFLite's GetQuantizedConvolutionMultipler,
  // which its uint8 kernels take in all three).
  void weighted_u8(bool depthwise, bool fc) {
    const Tensor& input = v_.input(0);
    const Tensor& weights = v_.input(1);
    const Tensor& output = v_.output(0);
    if (fc)
      fc_shape();
    else
      conv_shape(depthwise);
    const Multiplier m = quantize_multiplier(static_cast<double>(scale_of(input) * scale_of(weights)) /
                                             static_cast<double>(scale_of(output)));
    const auto [lo, hi] = range(kU8, output);
    define("ap_quant_u8", "quant",
           {{"input_offset", -zero_point(input)},
            {"filter_offset", -zero_point(weights)},
            {"output_offset", zero_point(output)},
            {"act_min", lo},
            {"act_max", hi},
            {"multiplier", m.multiplier},
            {"shift", m.shift}});
    call_.statement = fmt::format("{}(&{}, &{}, {}, {}, {}, {});", k(), name("shape"), name("quant"),
                                  in(p_, 0, "uint8_t"), in(p_, 1, "uint8_t"), bias("int32_t"), out(p_, "uint8_t"));
  }

  // RESIZE_BILINEAR (element type `type`) and RESIZE_NEAREST_NEIGHBOR (type nullptr: bytes).
  void resize(const char* type) {
    const auto g = kernels::resize_geometry(v_);
    if (!g) v_.fail("resize geometry unavailable");
    define("ap_resize_params", "params",
           {{"batches", dimension(g->batches)},
            {"in_h", dimension(g->in_h)},
            {"in_w", dimension(g->in_w)},
            {"depth", dimension(g->depth)},
            {"out_h", dimension(g->out_h)},
            {"out_w", dimension(g->out_w)},
            {"align_corners", g->align_corners ? 1 : 0},
            {"half_pixel_centers", g->half_pixel_centers ? 1 : 0}});
    if (type)
      call_.statement = fmt::format("{}(&{}, {}, {});", k(), name("params"), in(p_, 0, type), out(p_, type));
    else
      call_.statement = fmt::format("{}(&{}, {}, {}, {});", k(), name("params"), element_bytes(v_.output(0)),
                                    p_.inputs.at(0), p_.outputs.at(0));
  }

  void add(bool s8, const Q8& q8 = kS8, bool broadcast = false) {
    const std::int32_t count = narrow(v_, v_.output(0).elements(), "element count");
    if (s8) {
      const Tensor& a = v_.input(0);
      const Tensor& b = v_.input(1);
      const Tensor& o = v_.output(0);
      const AddParams q = add_params(scale_of(a), scale_of(b), scale_of(o));
      const auto [lo, hi] = range(q8, o);
      define_add_quant(q, a, b, o, lo, hi);
      call_.statement =
          fmt::format("{}({}, &{}, {}, {}, {});", k(), broadcast ? broadcast_shape() : fmt::to_string(count),
                      name("quant"), in(p_, 0, q8.type), in(p_, 1, q8.type), out(p_, q8.type));
    } else {
      const auto [lo, hi] = activation_range_f32(activation());
      call_.statement = fmt::format("{}({}, {}, {}, {}, {}, {});", k(), count, real(lo), real(hi), in(p_, 0, "float"),
                                    in(p_, 1, "float"), out(p_, "float"));
    }
  }

  void pool(bool s8, const Q8& q8 = kS8) {
    const Tensor& output = v_.output(0);
    const kernels::WindowGeometry g = kernels::pool_geometry(v_);
    define("ap_pool_shape", "shape",
           {{"batches", dimension(g.batches)},
            {"in_h", dimension(g.in_h)},
            {"in_w", dimension(g.in_w)},
            {"depth", dimension(g.in_c)},
            {"out_h", dimension(g.out_h)},
            {"out_w", dimension(g.out_w)},
            {"filter_h", dimension(g.filter_h)},
            {"filter_w", dimension(g.filter_w)},
            {"stride_h", dimension(g.stride_h)},
            {"stride_w", dimension(g.stride_w)},
            {"pad_h", dimension(g.pad_h)},
            {"pad_w", dimension(g.pad_w)}});
    if (s8) {
      const auto [lo, hi] = range(q8, output);
      call_.statement =
          fmt::format("{}(&{}, {}, {}, {}, {});", k(), name("shape"), lo, hi, in(p_, 0, q8.type), out(p_, q8.type));
    } else {
      const auto [lo, hi] = activation_range_f32(activation());
      call_.statement = fmt::format("{}(&{}, {}, {}, {}, {});", k(), name("shape"), real(lo), real(hi),
                                    in(p_, 0, "float"), out(p_, "float"));
    }
  }

  // output_type: the int16 output of SOFTMAX int8 -> int16 (else the input's type).
  void softmax(bool s8, const Q8& q8 = kS8, const char* output_type = nullptr) {
    const Tensor& input = v_.input(0);
    const std::int64_t depth = v_.dim(input, -1);
    if (depth <= 0) v_.fail("SOFTMAX over an empty dimension");
    const std::int32_t outer = narrow(v_, input.elements() / depth, "row count");
    const double beta = v_.op().real_attributes.contains("beta") ? v_.op().real_attributes.at("beta") : 1.0;
    if (s8) {
      const SoftmaxParams q = softmax_params(beta, scale_of(input));
      call_.statement =
          fmt::format("{}({}, {}, {}, {}, {}, {}, {});", k(), outer, depth, q.input_multiplier, q.input_left_shift,
                      q.diff_min, in(p_, 0, q8.type), out(p_, output_type ? output_type : q8.type));
    } else {
      call_.statement = fmt::format("{}({}, {}, {}, {}, {});", k(), outer, depth, real(static_cast<float>(beta)),
                                    in(p_, 0, "float"), out(p_, "float"));
    }
  }

  void quantize_f32() {
    const Tensor& output = v_.output(0);
    call_.statement = fmt::format("{}({}, {}, {}, {}, {});", k(), narrow(v_, output.elements(), "element count"),
                                  real(scale_of(output)), zero_point(output), in(p_, 0, "float"), out(p_, "int8_t"));
  }

  void requantize() {
    const Tensor& input = v_.input(0);
    const Tensor& output = v_.output(0);
    const Multiplier m =
        quantize_multiplier(static_cast<double>(scale_of(input)) / static_cast<double>(scale_of(output)));
    call_.statement = fmt::format("{}({}, {}, {}, {}, {}, {}, {});", k(),
                                  narrow(v_, output.elements(), "element count"), -zero_point(input), m.multiplier,
                                  m.shift, zero_point(output), in(p_, 0, "int8_t"), out(p_, "int8_t"));
  }

  // QUANTIZE between integer types: TFLite Micro's quantize.cc takes input / output scale in double.
  void requantize_any() {
    const Tensor& input = v_.input(0);
    const Tensor& output = v_.output(0);
    const auto code = [&](DataType t) -> std::string {
      switch (t) {
        case DataType::int8: return "AP_S8";
        case DataType::uint8: return "AP_U8";
        case DataType::int16: return "AP_S16";
        case DataType::int32: return "AP_S32";
        default: v_.fail("QUANTIZE between unsupported types");
      }
    };
    const Multiplier m =
        quantize_multiplier(static_cast<double>(scale_of(input)) / static_cast<double>(scale_of(output)));
    define("ap_requantize_params", "params",
           {{"input_type", code(input.type)},
            {"output_type", code(output.type)},
            {"input_zero_point", zero_point(input)},
            {"output_zero_point", zero_point(output)},
            {"multiplier", m.multiplier},
            {"shift", m.shift}});
    call_.statement = fmt::format("{}({}, &{}, {}, {});", k(), narrow(v_, output.elements(), "element count"),
                                  name("params"), p_.inputs.at(0), p_.outputs.at(0));
  }

  void dequantize() {
    const Tensor& input = v_.input(0);
    call_.statement = fmt::format("{}({}, {}, {}, {}, {});", k(), narrow(v_, input.elements(), "element count"),
                                  real(scale_of(input)), zero_point(input), in(p_, 0, "int8_t"), out(p_, "float"));
  }

  void copy() {
    call_.statement = fmt::format("{}({}u, {}, {});", k(), narrow(v_, v_.input(0).bytes, "byte count"), p_.inputs.at(0),
                                  p_.outputs.at(0));
  }

  // ---- data movement and reductions (runtime/kernels_shape.c, kernels_elementwise.c) ----

  static std::string dims(const kernels::Dims& d) { return fmt::format("{{{}}}", fmt::join(d, ", ")); }
  std::int32_t element_bytes(const Tensor& t) const {
    return narrow(v_, kernels::element_size(t.type), "element size");
  }

  // The C type of one element, for a pad value.
  static const char* c_type(DataType type) {
    switch (type) {
      case DataType::int8: return "int8_t";
      case DataType::uint8: return "uint8_t";
      case DataType::int16: return "int16_t";
      case DataType::int32: return "int32_t";
      default: return "float";
    }
  }

  void pad() {
    const auto g = kernels::pad_geometry(v_);
    if (!g) v_.fail("PAD geometry unavailable");
    const Tensor& output = v_.output(0);
    define("ap_pad_params", "params",
           {{"element_size", element_bytes(output)},
            {"in_shape", dims(g->in_shape)},
            {"before", dims(g->before)},
            {"after", dims(g->after)}});
    std::string value = v_.has_input(2) ? p_.inputs.at(2) : "&" + name("pad_value");
    if (!v_.has_input(2)) {
      // PAD: the output zero point for quantized types (TFLite's pad value), else 0.
      const std::string zero = output.type == DataType::float32
                                   ? "0.0f"
                                   : fmt::to_string(output.quantization.empty() ? 0 : zero_point(output));
      call_.definitions += fmt::format("static const {} {} = {};\n", c_type(output.type), name("pad_value"), zero);
    }
    call_.statement =
        fmt::format("{}(&{}, {}, {}, {});", k(), name("params"), value, p_.inputs.at(0), p_.outputs.at(0));
  }

  void slice() {
    const auto g = kernels::slice_geometry(v_);
    if (!g) v_.fail("slice geometry unavailable");
    define("ap_slice_params", "params",
           {{"element_size", element_bytes(v_.output(0))},
            {"in_shape", dims(g->in_shape)},
            {"start", dims(g->start)},
            {"stride", dims(g->stride)},
            {"out_shape", dims(g->out_shape)}});
    call_.statement = fmt::format("{}(&{}, {}, {});", k(), name("params"), p_.inputs.at(0), p_.outputs.at(0));
  }

  // CONCATENATION and SPLIT: the parameters, and the parts' pointers as a local array (external
  // pools are only known at run time).
  // `extra`: arguments between the parameters and the parts ("table, ").
  void along_axis(const kernels::AxisGeometry& g, const Tensor& whole, bool split, const std::string& extra = "") {
    std::vector<std::int32_t> sizes;
    for (std::int64_t s : g.axis_sizes) sizes.push_back(dimension(s));
    int32_table(name("axis_sizes"), sizes);
    define("ap_concat_params", "params",
           {{"outer", dimension(g.outer)},
            {"inner_bytes", narrow(v_, g.inner * kernels::element_size(whole.type), "slice size")},
            {"parts", static_cast<std::int64_t>(sizes.size())},
            {"axis_sizes", name("axis_sizes")}});
    const std::vector<std::string>& parts = split ? p_.outputs : p_.inputs;
    call_.statement = fmt::format(
        "{{\n    {} {}[{}] = {{{}}};\n    {}(&{}, {}{}, {});\n  }}", split ? "void* const" : "const void* const",
        split ? "outputs" : "inputs", parts.size(), fmt::join(parts, ", "), k(), name("params"), extra,
        split ? p_.inputs.at(v_.op().opcode == "SPLIT" ? 1 : 0) : "inputs", split ? "outputs" : p_.outputs.at(0));
  }

  void concatenation() {
    const auto g = kernels::concat_geometry(v_);
    if (!g) v_.fail("CONCATENATION geometry unavailable");
    along_axis(*g, v_.output(0), false);
  }

  // uint8 CONCATENATION with rescaled parts: TFLite's ConcatenationWithScaling factors, in float.
  void concatenation_u8() {
    const auto g = kernels::concat_geometry(v_);
    if (!g) v_.fail("CONCATENATION geometry unavailable");
    const Tensor& output = v_.output(0);
    const float inverse = 1.0f / scale_of(output);
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < v_.input_count(); ++i) {
      const Tensor& input = v_.input(i);
      const bool same = zero_point(input) == zero_point(output) && scale_of(input) == scale_of(output);
      const float scale = scale_of(input) * inverse;
      const float bias = static_cast<float>(-zero_point(input)) * scale;
      parts.push_back(fmt::format("{{{}, {}, {}, {}}}", same ? 0 : 1, real(scale), real(bias), zero_point(output)));
    }
    call_.definitions += fmt::format("static const ap_concat_part_u8 {}[{}] = {{{}}};\n", name("parts"), parts.size(),
                                     fmt::join(parts, ", "));
    along_axis(*g, output, false, name("parts") + ", ");
  }

  void split() {
    const auto g = kernels::split_geometry(v_);
    if (!g) v_.fail("SPLIT geometry unavailable");
    along_axis(*g, v_.output(0), true);
  }

  void gather() {
    const auto g = kernels::gather_geometry(v_);
    if (!g) v_.fail("GATHER geometry unavailable");
    define("ap_gather_params", "params",
           {{"outer", dimension(g->outer)},
            {"axis_size", dimension(g->axis_size)},
            {"count", dimension(g->count)},
            {"inner_bytes", narrow(v_, g->inner * kernels::element_size(v_.input(0).type), "slice size")},
            {"indices_64bit", v_.input(1).type == DataType::int64 ? 1 : 0}});
    call_.statement =
        fmt::format("{}(&{}, {}, {}, {});", k(), name("params"), p_.inputs.at(0), p_.inputs.at(1), p_.outputs.at(0));
  }

  void mean() {
    const auto g = kernels::reduce_geometry(v_);
    if (!g) v_.fail("MEAN geometry unavailable");
    kernels::Dims reduce{};
    for (std::size_t d = 0; d < reduce.size(); ++d) reduce[d] = g->reduce[d] ? 1 : 0;
    define("ap_reduce_params", "params", {{"in_shape", dims(g->in_shape)}, {"reduce", dims(reduce)}});
    call_.statement = fmt::format("{}(&{}, {}, {});", k(), name("params"), in(p_, 0, "float"), out(p_, "float"));
  }

  void sub_s16(bool broadcast) {
    const Tensor& a = v_.input(0);
    const Tensor& b = v_.input(1);
    const Tensor& o = v_.output(0);
    const AddParams q = sub_params(scale_of(a), scale_of(b), scale_of(o), 15);
    const auto [lo, hi] = activation_range_quantized(activation(), o.quantization, INT16_MIN, INT16_MAX);
    define_add_quant(q, a, b, o, lo, hi);
    call_.statement =
        fmt::format("{}({}, &{}, {}, {}, {});", k(),
                    broadcast ? broadcast_shape() : fmt::to_string(narrow(v_, o.elements(), "element count")),
                    name("quant"), in(p_, 0, "int16_t"), in(p_, 1, "int16_t"), out(p_, "int16_t"));
  }

  // The ap_broadcast_params `<sym>shape` of a broadcasting binary operator, as an argument.
  std::string broadcast_shape() {
    const auto g = kernels::broadcast_geometry(v_);
    if (!g) v_.fail("broadcast geometry unavailable");
    define("ap_broadcast_params", "shape",
           {{"out_shape", dims(g->out_shape)}, {"stride1", dims(g->stride1)}, {"stride2", dims(g->stride2)}});
    return "&" + name("shape");
  }

  // The ap_add_quant `<sym>quant` of ADD and SUB (a - b -> o).
  void define_add_quant(const AddParams& q, const Tensor& a, const Tensor& b, const Tensor& o, std::int32_t lo,
                        std::int32_t hi) {
    define("ap_add_quant", "quant",
           {{"left_shift", q.left_shift},
            {"input1_offset", -zero_point(a)},
            {"input1_multiplier", q.input1.multiplier},
            {"input1_shift", q.input1.shift},
            {"input2_offset", -zero_point(b)},
            {"input2_multiplier", q.input2.multiplier},
            {"input2_shift", q.input2.shift},
            {"output_offset", zero_point(o)},
            {"output_multiplier", q.output.multiplier},
            {"output_shift", q.output.shift},
            {"act_min", lo},
            {"act_max", hi}});
  }

  float alpha() const {
    const auto& r = v_.op().real_attributes;
    return r.contains("alpha") ? static_cast<float>(r.at("alpha")) : 0.2f;
  }

  void leaky_relu(bool s16) {
    const Tensor& input = v_.input(0);
    const Tensor& output = v_.output(0);
    const std::int32_t count = narrow(v_, output.elements(), "element count");
    if (!s16) {
      call_.statement =
          fmt::format("{}({}, {}, {}, {});", k(), count, real(alpha()), in(p_, 0, "float"), out(p_, "float"));
      return;
    }
    // TFLite Micro's CalculateOpDataLeakyRelu: both products in float, then widened.
    const Multiplier identity = quantize_multiplier(static_cast<double>(scale_of(input) / scale_of(output)));
    const Multiplier slope = quantize_multiplier(static_cast<double>(scale_of(input) * alpha() / scale_of(output)));
    define("ap_leaky_relu_quant", "quant",
           {{"input_zero_point", zero_point(input)},
            {"output_zero_point", zero_point(output)},
            {"identity_multiplier", identity.multiplier},
            {"identity_shift", identity.shift},
            {"alpha_multiplier", slope.multiplier},
            {"alpha_shift", slope.shift}});
    call_.statement =
        fmt::format("{}({}, &{}, {}, {});", k(), count, name("quant"), in(p_, 0, "int16_t"), out(p_, "int16_t"));
  }

  // SVDF (TFLite Micro's PrepareSvdf): both effective scales are float products widened to double.
  void svdf(bool s8) {
    const Tensor& input = v_.input(0);
    const Tensor& state = v_.input(4);
    const Tensor& output = v_.output(0);
    const std::int64_t rank = v_.attribute("rank", 1);
    std::vector<Field> fields{{"batches", dimension(v_.dim(input, 0))},
                              {"input_size", dimension(v_.dim(input, 1))},
                              {"filters", dimension(v_.dim(v_.input(1), 0))},
                              {"memory", dimension(v_.dim(v_.input(2), 1))},
                              {"rank", dimension(rank)}};
    if (s8) {
      const Multiplier feature =
          quantize_multiplier(static_cast<double>(scale_of(input) * scale_of(v_.input(1)) / scale_of(state)));
      const Multiplier time =
          quantize_multiplier(static_cast<double>(scale_of(state) * scale_of(v_.input(2)) / scale_of(output)));
      fields.insert(fields.end(), {{"state_int8", state.type == DataType::int8 ? 1 : 0},
                                   {"input_zero_point", zero_point(input)},
                                   {"state_zero_point", zero_point(state)},
                                   {"output_zero_point", zero_point(output)},
                                   {"feature_multiplier", feature.multiplier},
                                   {"feature_shift", feature.shift},
                                   {"output_multiplier", time.multiplier},
                                   {"output_shift", time.shift}});
      define("ap_svdf_params", "params", fields);
      call_.statement =
          fmt::format("{}(&{}, {}, {}, {}, {}, {}, {});", k(), name("params"), in(p_, 0, "int8_t"), in(p_, 1, "int8_t"),
                      p_.inputs.at(2), in(p_, 3, "int32_t"), p_.inputs.at(4), out(p_, "int8_t"));
      return;
    }
    define("ap_svdf_params", "params", fields);
    const auto [lo, hi] = activation_range_f32(activation());
    call_.statement = fmt::format("{}(&{}, {}, {}, {}, {}, {}, {}, (float*)({}), {});", k(), name("params"), real(lo),
                                  real(hi), in(p_, 0, "float"), in(p_, 1, "float"), in(p_, 2, "float"),
                                  in(p_, 3, "float"), p_.inputs.at(4), out(p_, "float"));
  }

  // UNIDIRECTIONAL_SEQUENCE_LSTM. The weights and biases go to the kernel as a local struct of
  // pointers (external constant pools are only known at run time).
  void lstm(bool s8) {
    const Tensor& input = v_.input(0);
    const bool time_major = v_.attribute("time_major", 0) != 0;
    define("ap_lstm_shape", "shape",
           {{"batches", dimension(v_.dim(input, time_major ? 1 : 0))},
            {"time_steps", dimension(v_.dim(input, time_major ? 0 : 1))},
            {"input_size", dimension(v_.dim(input, 2))},
            {"state_size", dimension(v_.dim(v_.output(0), 2))},
            {"time_major", time_major ? 1 : 0}});
    const auto& reals = v_.op().real_attributes;
    const double clip = reals.contains("cell_clip") ? reals.at("cell_clip") : 0.0;
    std::vector<std::string> inputs, recurrent, biases;
    for (std::size_t g = 0; g < 4; ++g) {
      inputs.push_back(p_.inputs.at(1 + g));
      recurrent.push_back(p_.inputs.at(5 + g));
      biases.push_back(p_.inputs.at(12 + g));
    }
    const std::string weights =
        fmt::format("    const ap_lstm_weights weights = {{{{{}}}, {{{}}}, {{{}}}}};\n", fmt::join(inputs, ", "),
                    fmt::join(recurrent, ", "), fmt::join(biases, ", "));
    const char* type = s8 ? "int8_t" : "float";
    std::string call;
    if (s8) {
      lstm_quant(clip);
      call = fmt::format("{}(&{}, &{}, &weights, {}, (int8_t*)({}), (int16_t*)({}), {});", k(), name("shape"),
                         name("quant"), in(p_, 0, type), p_.inputs.at(18), p_.inputs.at(19), out(p_, type));
    } else {
      call = fmt::format("{}(&{}, {}, &weights, {}, (float*)({}), (float*)({}), {});", k(), name("shape"),
                         real(static_cast<float>(clip)), in(p_, 0, type), p_.inputs.at(18), p_.inputs.at(19),
                         out(p_, type));
    }
    call_.statement = fmt::format("{{\n{}    {}\n  }}", weights, call);
  }

  // TFLite Micro's PrepareGateParametersInteger: each gate's fully connected parts rescale to
  // Q3.12 (2^-12) with GetQuantizedConvolutionMultipler (float product), the element-wise
  // products from Q0.15 (2^-15) in double (CreateInterGateMulParams); CreateLstmCellStateInfo.
  void lstm_quant(double clip) {
    const Tensor& input = v_.input(0);
    const Tensor& hidden = v_.input(18);
    const Tensor& cell = v_.input(19);
    const float gate_scale = 1.0f / 4096.0f;
    const double activation_scale = 1.0 / 32768.0;
    const auto fc = [&](const Tensor& x, const Tensor& w) {
      return quantize_multiplier(static_cast<double>(scale_of(x) * scale_of(w)) / static_cast<double>(gate_scale));
    };
    std::vector<std::string> gates;
    for (std::size_t g = 0; g < 4; ++g) {
      const Multiplier a = fc(input, v_.input(1 + g)), b = fc(hidden, v_.input(5 + g));
      gates.push_back(fmt::format("{{{}, {}, {}, {}}}", a.multiplier, a.shift, b.multiplier, b.shift));
    }
    const double cell_scale = scale_of(cell);
    const Multiplier forget_cell = quantize_multiplier(activation_scale * cell_scale / cell_scale);
    const Multiplier input_cell = quantize_multiplier(activation_scale * activation_scale / cell_scale);
    const Multiplier out = quantize_multiplier(activation_scale * activation_scale / scale_of(hidden));
    int exponent = 0;
    std::frexp(scale_of(cell), &exponent);
    const int tanh_shift = 15 + (exponent - 1) - 3;  // lstm_eval's Tanh for the cell state
    const double quantized_clip = std::min(std::max(clip / cell_scale, -32768.0), 32767.0);
    define("ap_lstm_quant", "quant",
           {{"gate", fmt::format("{{{}}}", fmt::join(gates, ", "))},
            {"input_zero_point", zero_point(input)},
            {"hidden_zero_point", zero_point(hidden)},
            {"forget_cell_multiplier", forget_cell.multiplier},
            {"forget_cell_shift", forget_cell.shift},
            {"input_cell_multiplier", input_cell.multiplier},
            {"input_cell_shift", input_cell.shift},
            {"hidden_multiplier", out.multiplier},
            {"hidden_shift", out.shift},
            {"tanh_multiplier", tanh_shift >= 0 ? 3 << tanh_shift : 3},
            {"tanh_right_shift", tanh_shift >= 0 ? 0 : -tanh_shift},
            {"has_cell_clip", clip > 0.0 ? 1 : 0},
            {"cell_clip", static_cast<std::int64_t>(static_cast<std::int16_t>(quantized_clip))}});
  }

  void lrn() {
    const Tensor& output = v_.output(0);
    const std::int64_t depth = output.shape.back();
    const auto& r = v_.op().real_attributes;
    auto get = [&](const char* key, double fallback) {
      return static_cast<float>(r.contains(key) ? r.at(key) : fallback);
    };
    call_.statement =
        fmt::format("{}({}, {}, {}, {}, {}, {}, {}, {});", k(),
                    narrow(v_, output.elements() / std::max<std::int64_t>(depth, 1), "outer size"),
                    narrow(v_, depth, "depth"), narrow(v_, v_.attribute("radius", 2), "radius"), real(get("bias", 1.0)),
                    real(get("alpha", 1.0)), real(get("beta", 0.5)), in(p_, 0, "float"), out(p_, "float"));
  }

  OperatorView v_;
  const OperandPointers& p_;
  const std::string& sym_;
  std::string kernel_;
  const OperatorMemory& memory_;
  KernelCall call_;
};

}  // namespace

KernelCall kernel_call(const Graph& graph, std::size_t op, const OperatorMemory& memory,
                       const OperandPointers& pointers, const std::string& symbol) {
  if (!memory.known)
    OperatorView(graph, op).fail(
        fmt::format("no arenaplan kernel ({}); the kernel profile `reference` or `cmsis-nn` emits the "
                    "memory interface without operator code",
                    memory.kernel));
  try {
    return Emitter(graph, op, pointers, symbol, memory).run();
  } catch (const ScaleOutOfRange& e) {
    OperatorView(graph, op).fail(e.what());  // names the file and the operator
  }
}

}  // namespace arenaplan::c_out
