// The kernel call of each supported operator, with its parameters computed here (TFLite's
// preparation steps: padding, fixed-point multipliers, activation ranges).
#include "emit/c_operators.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "arenaplan/error.h"
#include "arenaplan/kernels.h"
#include "emit/quantization.h"
#include "kernels/operator_view.h"

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

class Emitter {
 public:
  Emitter(const Graph& graph, std::size_t op, const OperandPointers& pointers, const std::string& symbol,
          const OperatorMemory& memory)
      : v_(graph, op), p_(pointers), sym_(symbol), kernel_(memory.kernel), memory_(memory) {}

  KernelCall run() {
    const std::string& k = kernel_;
    const bool s8 = k.ends_with("_s8") || k == "ap_quantize_f32_s8" || k == "ap_dequantize_s8_f32";
    const std::string& opcode = v_.op().opcode;
    if (k.ends_with("_hybrid"))
      hybrid(k);
    else if (opcode == "CONV_2D" || opcode == "DEPTHWISE_CONV_2D")
      conv(k, opcode == "DEPTHWISE_CONV_2D", s8);
    else if (opcode == "FULLY_CONNECTED")
      fully_connected(k, s8);
    else if (opcode == "ADD")
      add(k, s8);
    else if (opcode == "AVERAGE_POOL_2D" || opcode == "MAX_POOL_2D")
      pool(k, s8);
    else if (opcode == "SOFTMAX")
      softmax(k, s8);
    else if (opcode == "QUANTIZE")
      quantize(k);
    else if (opcode == "DEQUANTIZE")
      dequantize(k);
    else
      copy();
    return std::move(call_);
  }

 private:
  std::int64_t activation() const { return v_.attribute("fused_activation", 0); }

  void int32_table(const std::string& name, const std::vector<std::int32_t>& values) {
    call_.definitions +=
        fmt::format("static const int32_t {}{}[{}] = {{{}}};\n", sym_, name, values.size(), fmt::join(values, ", "));
  }

  // Per-output-channel multipliers for input * weights -> output (per-tensor weights repeat).
  // TFLite multiplies the input and weight scales in double for convolutions
  // (PopulateConvolutionQuantizationParams) but in float for a per-tensor FULLY_CONNECTED
  // (GetQuantizedConvolutionMultipler); the last bit of the multiplier depends on it.
  std::string channel_multipliers(const Tensor& input, const Tensor& weights, const Tensor& output,
                                  std::int64_t channels, bool float_product = false) {
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
    int32_table("multiplier", mult);
    int32_table("shift", shift);
    return fmt::format("{0}multiplier, {0}shift", sym_);
  }

  void conv(const std::string& k, bool depthwise, bool s8) {
    const Tensor& input = v_.input(0);
    const Tensor& filter = v_.input(1);
    const Tensor& output = v_.output(0);
    conv_shape(depthwise);
    if (s8) {
      const std::string tables = channel_multipliers(input, filter, output, v_.dim(output, 3));
      const auto [lo, hi] = activation_range_s8(activation(), output.quantization);
      call_.definitions += fmt::format("static const ap_conv_quant {}quant = {{{}, {}, {}, {}, {}}};\n", sym_,
                                       -zero_point(input), zero_point(output), lo, hi, tables);
      weighted_call_s8(k);
    } else {
      weighted_call_f32(k);
    }
  }

  // The ap_conv_shape `<sym>shape` of a CONV_2D or DEPTHWISE_CONV_2D.
  void conv_shape(bool depthwise) {
    const Tensor& input = v_.input(0);
    const Tensor& filter = v_.input(1);
    const Tensor& output = v_.output(0);
    const std::int64_t stride_h = v_.attribute("stride_h", 1), stride_w = v_.attribute("stride_w", 1);
    const std::int64_t dil_h = v_.attribute("dilation_h", 1), dil_w = v_.attribute("dilation_w", 1);
    const std::int64_t in_c = v_.dim(input, 3), out_c = v_.dim(output, 3);
    if (v_.dim(input, 0) != v_.dim(output, 0)) v_.fail("input and output batch sizes differ");
    if (depthwise ? (v_.dim(filter, 3) != out_c || out_c % in_c != 0)
                  : (v_.dim(filter, 0) != out_c || v_.dim(filter, 3) != in_c))
      v_.fail("filter shape does not match the input and output channels");
    const std::vector<std::int64_t> shape{v_.dim(input, 0),
                                          v_.dim(input, 1),
                                          v_.dim(input, 2),
                                          in_c,
                                          v_.dim(output, 1),
                                          v_.dim(output, 2),
                                          out_c,
                                          v_.dim(filter, 1),
                                          v_.dim(filter, 2),
                                          stride_h,
                                          stride_w,
                                          dil_h,
                                          dil_w,
                                          v_.padding(v_.dim(input, 1), v_.dim(filter, 1), stride_h, dil_h),
                                          v_.padding(v_.dim(input, 2), v_.dim(filter, 2), stride_w, dil_w),
                                          depthwise ? out_c / in_c : 1};
    struct_value("ap_conv_shape", "shape", shape);
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
    struct_value("ap_fc_shape", "shape", {batches, in_depth, out_depth});
  }

  // Hybrid CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED: float32 activations, int8 weights. The
  // profile's scratch requests, in order: quantized input, per-batch scales, and (asymmetric input
  // quantization) per-batch zero points; the kernel follows the same choice through `asymmetric`.
  void hybrid(const std::string& k) {
    const std::string& opcode = v_.op().opcode;
    const Tensor& weights = v_.input(1);
    const std::size_t scratch = memory_.scratch.size();
    if ((scratch != 2 && scratch != 3) || p_.scratch.size() != scratch)
      v_.fail("hybrid kernel without its scratch buffers");
    const bool asymmetric = scratch == 3;
    if (opcode == "FULLY_CONNECTED")
      fc_shape();
    else
      conv_shape(opcode == "DEPTHWISE_CONV_2D");
    const std::vector<float>& scales = weights.quantization.scale;
    std::vector<std::string> values;
    for (float scale : scales) values.push_back(real(scale));
    call_.definitions +=
        fmt::format("static const float {}filter_scale[{}] = {{{}}};\n", sym_, values.size(), fmt::join(values, ", "));
    const auto [lo, hi] = activation_range_f32(activation());
    call_.definitions += fmt::format("static const ap_hybrid_params {}params = {{{}, {}, {}, {}, {}filter_scale}};\n",
                                     sym_, real(lo), real(hi), asymmetric ? 1 : 0, scales.size() > 1 ? 1 : 0, sym_);
    call_.statement =
        fmt::format("{}(&{}shape, &{}params, {}, {}, {}, (int8_t*)({}), (float*)({}), {}, {});", k, sym_, sym_,
                    in(p_, 0, "float"), in(p_, 1, "int8_t"), bias("float"), p_.scratch[0], p_.scratch[1],
                    asymmetric ? fmt::format("(int32_t*)({})", p_.scratch[2]) : std::string("0"), out(p_, "float"));
  }

  // k(&shape, &quant, input, weights, bias, output): int8 CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED.
  void weighted_call_s8(const std::string& k) {
    call_.statement = fmt::format("{}(&{}shape, &{}quant, {}, {}, {}, {});", k, sym_, sym_, in(p_, 0, "int8_t"),
                                  in(p_, 1, "int8_t"), bias("int32_t"), out(p_, "int8_t"));
  }

  // k(&shape, act_min, act_max, input, weights, bias, output): their float32 versions.
  void weighted_call_f32(const std::string& k) {
    const auto [lo, hi] = activation_range_f32(activation());
    call_.statement = fmt::format("{}(&{}shape, {}, {}, {}, {}, {}, {});", k, sym_, real(lo), real(hi),
                                  in(p_, 0, "float"), in(p_, 1, "float"), bias("float"), out(p_, "float"));
  }

  std::string bias(const char* type) const { return v_.has_input(2) ? in(p_, 2, type) : std::string("0"); }

  void struct_value(const char* type, const char* name, const std::vector<std::int64_t>& fields) {
    std::vector<std::int32_t> values;
    for (std::int64_t f : fields) values.push_back(narrow(v_, f, "dimension"));
    call_.definitions += fmt::format("static const {} {}{} = {{{}}};\n", type, sym_, name, fmt::join(values, ", "));
  }

  void fully_connected(const std::string& k, bool s8) {
    const Tensor& input = v_.input(0);
    const Tensor& weights = v_.input(1);
    const Tensor& output = v_.output(0);
    const std::int64_t out_depth = v_.dim(weights, 0);
    fc_shape();
    if (s8) {
      const bool per_channel = weights.quantization.scale.size() > 1;
      const std::string tables = channel_multipliers(input, weights, output, per_channel ? out_depth : 1, !per_channel);
      const auto [lo, hi] = activation_range_s8(activation(), output.quantization);
      call_.definitions +=
          fmt::format("static const ap_fc_quant {}quant = {{{}, {}, {}, {}, {}, {}, {}}};\n", sym_, -zero_point(input),
                      -zero_point(weights), zero_point(output), lo, hi, per_channel ? 1 : 0, tables);
      weighted_call_s8(k);
    } else {
      weighted_call_f32(k);
    }
  }

  void add(const std::string& k, bool s8) {
    const std::int32_t count = narrow(v_, v_.output(0).elements(), "element count");
    if (s8) {
      const Tensor& a = v_.input(0);
      const Tensor& b = v_.input(1);
      const Tensor& o = v_.output(0);
      const AddParams q = add_params(scale_of(a), scale_of(b), scale_of(o));
      const auto [lo, hi] = activation_range_s8(activation(), o.quantization);
      call_.definitions +=
          fmt::format("static const ap_add_quant {}quant = {{{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}}};\n", sym_,
                      q.left_shift, -zero_point(a), q.input1.multiplier, q.input1.shift, -zero_point(b),
                      q.input2.multiplier, q.input2.shift, zero_point(o), q.output.multiplier, q.output.shift, lo, hi);
      call_.statement = fmt::format("{}({}, &{}quant, {}, {}, {});", k, count, sym_, in(p_, 0, "int8_t"),
                                    in(p_, 1, "int8_t"), out(p_, "int8_t"));
    } else {
      const auto [lo, hi] = activation_range_f32(activation());
      call_.statement = fmt::format("{}({}, {}, {}, {}, {}, {});", k, count, real(lo), real(hi), in(p_, 0, "float"),
                                    in(p_, 1, "float"), out(p_, "float"));
    }
  }

  void pool(const std::string& k, bool s8) {
    const Tensor& input = v_.input(0);
    const Tensor& output = v_.output(0);
    const std::int64_t fh = v_.attribute("filter_h", 1), fw = v_.attribute("filter_w", 1);
    const std::int64_t sh = v_.attribute("stride_h", 1), sw = v_.attribute("stride_w", 1);
    if (v_.dim(input, 3) != v_.dim(output, 3) || v_.dim(input, 0) != v_.dim(output, 0))
      v_.fail("pooling changes batches or depth");
    struct_value(
        "ap_pool_shape", "shape",
        {v_.dim(input, 0), v_.dim(input, 1), v_.dim(input, 2), v_.dim(input, 3), v_.dim(output, 1), v_.dim(output, 2),
         fh, fw, sh, sw, v_.padding(v_.dim(input, 1), fh, sh, 1), v_.padding(v_.dim(input, 2), fw, sw, 1)});
    if (s8) {
      const auto [lo, hi] = activation_range_s8(activation(), output.quantization);
      call_.statement =
          fmt::format("{}(&{}shape, {}, {}, {}, {});", k, sym_, lo, hi, in(p_, 0, "int8_t"), out(p_, "int8_t"));
    } else {
      const auto [lo, hi] = activation_range_f32(activation());
      call_.statement = fmt::format("{}(&{}shape, {}, {}, {}, {});", k, sym_, real(lo), real(hi), in(p_, 0, "float"),
                                    out(p_, "float"));
    }
  }

  void softmax(const std::string& k, bool s8) {
    const Tensor& input = v_.input(0);
    const std::int64_t depth = v_.dim(input, -1);
    if (depth <= 0) v_.fail("SOFTMAX over an empty dimension");
    const std::int32_t outer = narrow(v_, input.elements() / depth, "row count");
    const double beta = v_.op().real_attributes.contains("beta") ? v_.op().real_attributes.at("beta") : 1.0;
    if (s8) {
      const SoftmaxParams q = softmax_params(beta, scale_of(input));
      call_.statement = fmt::format("{}({}, {}, {}, {}, {}, {}, {});", k, outer, depth, q.input_multiplier,
                                    q.input_left_shift, q.diff_min, in(p_, 0, "int8_t"), out(p_, "int8_t"));
    } else {
      call_.statement = fmt::format("{}({}, {}, {}, {}, {});", k, outer, depth, real(static_cast<float>(beta)),
                                    in(p_, 0, "float"), out(p_, "float"));
    }
  }

  void quantize(const std::string& k) {
    const Tensor& input = v_.input(0);
    const Tensor& output = v_.output(0);
    const std::int32_t count = narrow(v_, output.elements(), "element count");
    if (k == "ap_quantize_f32_s8") {
      call_.statement = fmt::format("{}({}, {}, {}, {}, {});", k, count, real(scale_of(output)), zero_point(output),
                                    in(p_, 0, "float"), out(p_, "int8_t"));
      return;
    }
    const Multiplier m =
        quantize_multiplier(static_cast<double>(scale_of(input)) / static_cast<double>(scale_of(output)));
    call_.statement = fmt::format("{}({}, {}, {}, {}, {}, {}, {});", k, count, -zero_point(input), m.multiplier,
                                  m.shift, zero_point(output), in(p_, 0, "int8_t"), out(p_, "int8_t"));
  }

  void dequantize(const std::string& k) {
    const Tensor& input = v_.input(0);
    call_.statement = fmt::format("{}({}, {}, {}, {}, {});", k, narrow(v_, input.elements(), "element count"),
                                  real(scale_of(input)), zero_point(input), in(p_, 0, "int8_t"), out(p_, "float"));
  }

  void copy() {
    call_.statement = fmt::format("ap_copy({}u, {}, {});", narrow(v_, v_.input(0).bytes, "byte count"), p_.inputs.at(0),
                                  p_.outputs.at(0));
  }

  OperatorView v_;
  const OperandPointers& p_;
  const std::string& sym_;
  std::string kernel_;
  const OperatorMemory& memory_;
  KernelCall call_;
};

}  // namespace

KernelCall kernel_call(const Graph& graph, std::size_t op, const OperandPointers& pointers, const std::string& symbol) {
  const OperatorMemory memory = kernel_profile("arenaplan").describe(graph, op);
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
