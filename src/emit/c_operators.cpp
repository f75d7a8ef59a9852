// The kernel call of each supported operator, with its parameters computed here (TFLite's
// preparation steps: padding, fixed-point multipliers, activation ranges).
#include "emit/c_operators.h"

#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "arenaplan/error.h"
#include "arenaplan/kernels.h"
#include "emit/c_signal.h"
#include "emit/quantization.h"
#include "kernels/arenaplan_resize.h"
#include "kernels/kernel_ids.h"
#include "kernels/operator_view.h"
#include "kernels/shape_geometry.h"

namespace arenaplan::c_out {
namespace {

using kernels::OperatorView;

std::string real(float value) { return fmt::format("{:a}f", value); }  // exact hexadecimal float

std::string in(const OperandPointers& p, std::size_t i, const char* type) {
  return p.inputs.at(i) == "0" ? std::string("0") : fmt::format("(const {}*)({})", type, p.inputs.at(i));
}
std::string out(const OperandPointers& p, const char* type) { return fmt::format("({}*)({})", type, p.outputs.at(0)); }

std::int32_t narrow(const OperatorView& v, std::int64_t value, const char* what) {
  if (value < INT32_MIN || value > INT32_MAX)
    v.fail(fmt::format("{} {} does not fit the kernel's 32-bit parameters", what, value));
  return static_cast<std::int32_t>(value);
}

float scale_of(const Tensor& t, std::size_t channel = 0) {
  return t.quantization.scale.size() == 1 ? t.quantization.scale[0] : t.quantization.scale.at(channel);
}
std::int32_t zero_point(const Tensor& t) { return static_cast<std::int32_t>(t.quantization.zero_point.at(0)); }

// One member of a C99 designated initialiser: `.name = value`.
struct Field {
  Field(std::string_view n, std::string v) : name(n), value(std::move(v)) {}
  Field(std::string_view n, std::int64_t v) : name(n), value(fmt::to_string(v)) {}
  std::string_view name;
  std::string value;
};

// `static const TYPE NAME = {.a = 1, .b = 2};`, one member per line when that is too long.
std::string initialiser(std::string_view type, const std::string& name, const std::vector<Field>& fields) {
  std::vector<std::string> members;
  for (const Field& f : fields) members.push_back(fmt::format(".{} = {}", f.name, f.value));
  std::string line = fmt::format("static const {} {} = {{{}}};\n", type, name, fmt::join(members, ", "));
  if (line.size() <= 121) return line;
  return fmt::format("static const {} {} = {{\n    {}}};\n", type, name, fmt::join(members, ",\n    "));
}

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
      case KernelId::signal_window:
      case KernelId::signal_fft_auto_scale:
      case KernelId::signal_rfft_s16:
      case KernelId::signal_energy:
      case KernelId::signal_filter_bank:
      case KernelId::signal_filter_bank_sqrt:
      case KernelId::signal_spectral_subtraction:
      case KernelId::signal_pcan:
      case KernelId::signal_filter_bank_log: signal_call(v_, *id, p_, sym_, call_); break;
      case KernelId::arith_s32: arith(false); break;
      case KernelId::arith_f32: arith(true); break;
      case KernelId::cast: cast(); break;
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
    define("ap_conv_shape", "shape",
           {{"batches", dimension(g.batches)},
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
            {"depth_multiplier", dimension(g.depth_multiplier)}});
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
    call_.statement = fmt::format(
        "{}(&{}, &{}, {}, {}, {}, (int8_t*)({}), (float*)({}), {}, {});", k(), name("shape"), name("params"),
        in(p_, 0, "float"), in(p_, 1, "int8_t"), bias("float"), p_.scratch[0], p_.scratch[1],
        asymmetric ? fmt::format("(int32_t*)({})", p_.scratch[2]) : std::string("0"), out(p_, "float"));
  }

  // k(&shape, &quant, input, weights, bias, output): int8 CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED.
  void weighted_call_s8() {
    call_.statement =
        fmt::format("{}(&{}, &{}, {}, {}, {}, {}{});", k(), name("shape"), name("quant"), in(p_, 0, "int8_t"),
                    in(p_, 1, "int8_t"), bias("int32_t"), staging("int8_t"), out(p_, "int8_t"));
  }

  // The _staged variants take their one scratch buffer before the output.
  std::string staging(const char* type) const {
    if (memory_.scratch.empty()) return "";
    if (p_.scratch.size() != 1) v_.fail("staging kernel without its scratch buffer");
    return fmt::format("({}*)({}), ", type, p_.scratch[0]);
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

  void softmax(bool s8, const Q8& q8 = kS8) {
    const Tensor& input = v_.input(0);
    const std::int64_t depth = v_.dim(input, -1);
    if (depth <= 0) v_.fail("SOFTMAX over an empty dimension");
    const std::int32_t outer = narrow(v_, input.elements() / depth, "row count");
    const double beta = v_.op().real_attributes.contains("beta") ? v_.op().real_attributes.at("beta") : 1.0;
    if (s8) {
      const SoftmaxParams q = softmax_params(beta, scale_of(input));
      call_.statement = fmt::format("{}({}, {}, {}, {}, {}, {}, {});", k(), outer, depth, q.input_multiplier,
                                    q.input_left_shift, q.diff_min, in(p_, 0, q8.type), out(p_, q8.type));
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
        split ? p_.inputs.at(v_.op().opcode == "SPLIT_V" ? 0 : 1) : "inputs", split ? "outputs" : p_.outputs.at(0));
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

  // Unquantized int32 / float32 binary operators (the profile allows int32 only without a fused
  // activation) and CAST.
  void arith(bool f32) {
    static constexpr std::array<std::pair<std::string_view, const char*>, 6> kOps{{{"ADD", "AP_ARITH_ADD"},
                                                                                   {"SUB", "AP_ARITH_SUB"},
                                                                                   {"MUL", "AP_ARITH_MUL"},
                                                                                   {"DIV", "AP_ARITH_DIV"},
                                                                                   {"MINIMUM", "AP_ARITH_MIN"},
                                                                                   {"MAXIMUM", "AP_ARITH_MAX"}}};
    const char* op = nullptr;
    for (const auto& [opcode, code] : kOps)
      if (opcode == v_.op().opcode) op = code;
    if (op == nullptr) v_.fail("no arithmetic kernel for this operator");
    const char* type = f32 ? "float" : "int32_t";
    std::string lo = "INT32_MIN", hi = "INT32_MAX";
    if (f32) {
      const auto range = activation_range_f32(activation());
      lo = real(range.first);
      hi = real(range.second);
    }
    call_.statement = fmt::format("{}({}, {}, {}, {}, {}, {}, {});", k(), broadcast_shape(), op, lo, hi,
                                  in(p_, 0, type), in(p_, 1, type), out(p_, type));
  }

  static const char* cast_type(DataType t) {
    switch (t) {
      case DataType::int8: return "AP_TYPE_INT8";
      case DataType::uint8: return "AP_TYPE_UINT8";
      case DataType::int16: return "AP_TYPE_INT16";
      case DataType::uint16: return "AP_TYPE_UINT16";
      case DataType::int32: return "AP_TYPE_INT32";
      case DataType::uint32: return "AP_TYPE_UINT32";
      default: return "AP_TYPE_FLOAT32";
    }
  }

  void cast() {
    call_.statement =
        fmt::format("{}({}, {}, {}, {}, {});", k(), narrow(v_, v_.output(0).elements(), "element count"),
                    cast_type(v_.input(0).type), cast_type(v_.output(0).type), p_.inputs.at(0), p_.outputs.at(0));
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
