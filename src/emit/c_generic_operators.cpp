#include "emit/c_generic_operators.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "emit/c_call_parts.h"
#include "emit/lookup_tables.h"
#include "emit/quantization.h"
#include "kernels/generic_geometry.h"
#include "kernels/int16_activation.h"
#include "kernels/shape_geometry.h"

namespace arenaplan::c_out {
namespace {

using kernels::KernelId;

std::string dims(const kernels::Dims& d) { return fmt::format("{{{}}}", fmt::join(d, ", ")); }

// The runtime's element type code (AP_S8, ...).
std::string type_code(const OperatorView& v, DataType t) {
  switch (t) {
    case DataType::int8: return "AP_S8";
    case DataType::uint8: return "AP_U8";
    case DataType::int16: return "AP_S16";
    case DataType::int32: return "AP_S32";
    case DataType::float32: return "AP_F32";
    case DataType::int64: return "AP_S64";
    case DataType::boolean: return "AP_BOOL";
    case DataType::uint32: return "AP_U32";
    default: v.fail("element type without a runtime code");
  }
}

std::pair<std::int32_t, std::int32_t> type_range(DataType t) {
  switch (t) {
    case DataType::uint8: return {0, 255};
    case DataType::int16: return {INT16_MIN, INT16_MAX};
    default: return {INT8_MIN, INT8_MAX};
  }
}

class GenericEmitter {
 public:
  GenericEmitter(const OperatorView& v, const OperandPointers& p, const std::string& symbol)
      : v_(v), p_(p), sym_(symbol) {}

  KernelCall run(KernelId id) {
    switch (id) {
      case KernelId::transpose: transpose(); break;
      case KernelId::relu_q: relu_q(); break;
      case KernelId::relu_f32: relu_f32(); break;
      case KernelId::lookup_8bit: lookup_8bit(); break;
      case KernelId::logistic_f32:
      case KernelId::tanh_f32:
      case KernelId::hard_swish_f32: unary_f32(id); break;
      case KernelId::mul_q: mul_q(); break;
      case KernelId::mul_f32: mul_f32(); break;
      case KernelId::maximum:
      case KernelId::minimum: maximum_minimum(id); break;
      case KernelId::quantize_f32: quantize(); break;
      case KernelId::dequantize_f32: dequantize(); break;
      case KernelId::arg_min_max: arg_min_max(); break;
      case KernelId::cast: cast(); break;
      case KernelId::binary_f32: binary_f32(); break;
      case KernelId::floor_mod: maximum_minimum(id); break;  // the same arguments
      case KernelId::rsqrt_f32: unary_f32(id); break;
      case KernelId::log_softmax_f32:
      case KernelId::log_softmax_s8: log_softmax(id); break;
      case KernelId::space_to_batch:
      case KernelId::batch_to_space: space_batch(id); break;
      case KernelId::binary_s32: binary_s32(); break;
      case KernelId::logistic_s16:
      case KernelId::tanh_s16: activation_s16(id); break;
      case KernelId::mean_sum_q: mean_sum_q(); break;
      case KernelId::softmax_s16: softmax_s16(); break;
      default: v_.fail("not a generic kernel");
    }
    return std::move(call_);
  }

 private:
  std::string name(const char* what) const { return sym_ + what; }
  std::string fn(KernelId id) const { return std::string(kernels::kernel_function(id)); }
  std::int32_t count() const { return narrow(v_, v_.output(0).elements(), "element count"); }
  void define(std::string_view type, const char* what, const std::vector<Field>& fields) {
    call_.definitions += initialiser(type, name(what), fields);
  }

  void transpose() {
    const auto g = kernels::transpose_geometry(v_);
    if (!g) v_.fail("TRANSPOSE geometry unavailable");
    define("ap_transpose_params", "params",
           {{"element_size", narrow(v_, kernels::element_size(v_.input(0).type), "element size")},
            {"in_shape", dims(g->in_shape)},
            {"perm", dims(g->perm)}});
    call_.statement =
        fmt::format("{}(&{}, {}, {});", fn(KernelId::transpose), name("params"), p_.inputs.at(0), p_.outputs.at(0));
  }

  // The float clamp range of RELU, RELU_N1_TO_1, RELU6 (upper: infinity for RELU).
  std::pair<float, float> relu_range() const {
    const std::string& op = v_.op().opcode;
    if (op == "RELU6") return {0.0f, 6.0f};
    if (op == "RELU_N1_TO_1") return {-1.0f, 1.0f};
    return {0.0f, std::numeric_limits<float>::infinity()};
  }

  // TFLite's ReluPrepare (the scale ratio in float, then widened) and QuantizedReluX.
  void relu_q() {
    const Tensor& input = v_.input(0);
    const Tensor& output = v_.output(0);
    const auto [qmin, qmax] = type_range(output.type);
    const auto [lo, hi] = relu_range();
    const float out_scale = scale_of(output);
    const std::int32_t zero = zero_point(output);
    const std::int32_t act_min = saturate_to(zero + static_cast<double>(std::round(lo / out_scale)), qmin, qmax);
    const std::int32_t act_max =
        std::isinf(hi) ? qmax : saturate_to(zero + static_cast<double>(std::round(hi / out_scale)), qmin, qmax);
    const Multiplier m = quantize_multiplier(static_cast<double>(scale_of(input) / out_scale));
    define("ap_relu_quant", "quant",
           {{"type", type_code(v_, output.type)},
            {"input_zero_point", zero_point(input)},
            {"output_zero_point", zero},
            {"multiplier", m.multiplier},
            {"shift", m.shift},
            {"act_min", act_min},
            {"act_max", act_max}});
    call_.statement = fmt::format("{}({}, &{}, {}, {});", fn(KernelId::relu_q), count(), name("quant"), p_.inputs.at(0),
                                  p_.outputs.at(0));
  }

  void relu_f32() {
    const std::string& op = v_.op().opcode;
    const int kind = op == "RELU6" ? 3 : op == "RELU_N1_TO_1" ? 2 : 1;  // fused-activation codes
    call_.statement =
        fmt::format("{}({}, {}, {}, {});", fn(KernelId::relu_f32), count(), kind, in(p_, 0, "float"), out(p_, "float"));
  }

  // LOGISTIC, TANH, HARD_SWISH on int8 / uint8: the table of TFLite's result for every input byte.
  void lookup_8bit() {
    const Tensor& input = v_.input(0);
    const Tensor& output = v_.output(0);
    const std::string& op = v_.op().opcode;
    const ByteTable table =
        op == "HARD_SWISH"
            ? hard_swish_table(input, output)
            : float_function_table(op == "LOGISTIC" ? TableFunction::logistic : TableFunction::tanh, input, output);
    call_.definitions += fmt::format("static const uint8_t {}[256] = {{{}}};\n", name("table"), fmt::join(table, ", "));
    call_.statement = fmt::format("{}({}, {}, {}, {});", fn(KernelId::lookup_8bit), count(), name("table"),
                                  p_.inputs.at(0), p_.outputs.at(0));
  }

  void unary_f32(KernelId id) {
    call_.statement = fmt::format("{}({}, {}, {});", fn(id), count(), in(p_, 0, "float"), out(p_, "float"));
  }

  // The ap_broadcast_params `<sym>shape` of a broadcasting binary operator, as an argument.
  std::string shape() {
    const auto g = kernels::broadcast_geometry(v_);
    if (!g) v_.fail("broadcast geometry unavailable");
    define("ap_broadcast_params", "shape",
           {{"out_shape", dims(g->out_shape)}, {"stride1", dims(g->stride1)}, {"stride2", dims(g->stride2)}});
    return "&" + name("shape");
  }

  // TFLite's mul.cc Prepare: input1 scale * input2 scale / output scale, in float.
  void mul_q() {
    const Tensor& a = v_.input(0);
    const Tensor& b = v_.input(1);
    const Tensor& o = v_.output(0);
    const auto [qmin, qmax] = type_range(o.type);
    const auto [lo, hi] = activation_range_quantized(v_.attribute("fused_activation", 0), o.quantization, qmin, qmax);
    const Multiplier m = quantize_multiplier_unbounded(static_cast<double>(scale_of(a) * scale_of(b) / scale_of(o)));
    const std::string s = shape();
    define("ap_mul_quant", "quant",
           {{"type", type_code(v_, o.type)},
            {"input1_offset", -zero_point(a)},
            {"input2_offset", -zero_point(b)},
            {"output_offset", zero_point(o)},
            {"multiplier", m.multiplier},
            {"shift", m.shift},
            {"act_min", lo},
            {"act_max", hi}});
    call_.statement = fmt::format("{}({}, &{}, {}, {}, {});", fn(KernelId::mul_q), s, name("quant"), p_.inputs.at(0),
                                  p_.inputs.at(1), p_.outputs.at(0));
  }

  void mul_f32() {
    const auto [lo, hi] = activation_range_f32(v_.attribute("fused_activation", 0));
    const std::string s = shape();
    call_.statement = fmt::format("{}({}, {}, {}, {}, {}, {});", fn(KernelId::mul_f32), s, real(lo), real(hi),
                                  in(p_, 0, "float"), in(p_, 1, "float"), out(p_, "float"));
  }

  void maximum_minimum(KernelId id) {
    const std::string s = shape();
    call_.statement = fmt::format("{}({}, {}, {}, {}, {});", fn(id), s, type_code(v_, v_.output(0).type),
                                  p_.inputs.at(0), p_.inputs.at(1), p_.outputs.at(0));
  }

  // QUANTIZE float32 -> uint8 / int16 and DEQUANTIZE back: TFLite's AffineQuantize and Dequantize.
  void quantize() {
    const Tensor& output = v_.output(0);
    call_.statement =
        fmt::format("{}({}, {}, {}, {}, {}, {});", fn(KernelId::quantize_f32), count(), type_code(v_, output.type),
                    real(scale_of(output)), zero_point(output), in(p_, 0, "float"), p_.outputs.at(0));
  }

  void dequantize() {
    const Tensor& input = v_.input(0);
    call_.statement =
        fmt::format("{}({}, {}, {}, {}, {}, {});", fn(KernelId::dequantize_f32), count(), type_code(v_, input.type),
                    real(scale_of(input)), zero_point(input), p_.inputs.at(0), out(p_, "float"));
  }

  void arg_min_max() {
    const auto g = kernels::arg_geometry(v_);
    if (!g) v_.fail("ARG_MAX / ARG_MIN geometry unavailable");
    define("ap_arg_params", "params",
           {{"outer", narrow(v_, g->outer, "dimension")},
            {"axis_size", narrow(v_, g->axis_size, "dimension")},
            {"inner", narrow(v_, g->inner, "dimension")},
            {"input_type", type_code(v_, v_.input(0).type)},
            {"output_64bit", v_.output(0).type == DataType::int64 ? 1 : 0},
            {"is_max", v_.op().opcode == "ARG_MAX" ? 1 : 0}});
    call_.statement =
        fmt::format("{}(&{}, {}, {});", fn(KernelId::arg_min_max), name("params"), p_.inputs.at(0), p_.outputs.at(0));
  }

  void cast() {
    call_.statement =
        fmt::format("{}({}, {}, {}, {}, {});", fn(KernelId::cast), count(), type_code(v_, v_.input(0).type),
                    type_code(v_, v_.output(0).type), p_.inputs.at(0), p_.outputs.at(0));
  }

  void binary_f32() {
    const std::string& op = v_.op().opcode;
    const auto [lo, hi] = activation_range_f32(op == "DIV" || op == "ADD" ? v_.attribute("fused_activation", 0) : 0);
    const std::string s = shape();
    call_.statement = fmt::format("{}({}, {}, {}, {}, {}, {}, {});", fn(KernelId::binary_f32), s,
                                  op == "ADD"                  ? "AP_ADD"
                                  : op == "DIV"                ? "AP_DIV"
                                  : op == "SQUARED_DIFFERENCE" ? "AP_SQUARED_DIFFERENCE"
                                                               : "AP_FLOOR_MOD",
                                  real(lo), real(hi), in(p_, 0, "float"), in(p_, 1, "float"), out(p_, "float"));
  }

  // int32 ADD, MUL and DIV: TFLite's CalculateActivationRange<int32_t> for the fused activation.
  void binary_s32() {
    const std::int64_t act = v_.attribute("fused_activation", 0);
    const std::string lo = act == 1 || act == 3 ? "0" : act == 2 ? "-1" : "INT32_MIN";
    const std::string hi = act == 3 ? "6" : act == 2 ? "1" : "INT32_MAX";
    const std::string s = shape();
    call_.statement = fmt::format("{}({}, {}, {}, {}, {}, {}, {});", fn(KernelId::binary_s32), s,
                                  v_.op().opcode == "MUL"   ? "AP_MUL"
                                  : v_.op().opcode == "ADD" ? "AP_ADD"
                                                            : "AP_DIV",
                                  lo, hi, in(p_, 0, "int32_t"), in(p_, 1, "int32_t"), out(p_, "int32_t"));
  }

  // int16 LOGISTIC / TANH: TFLite Micro's Prepare (src/kernels/int16_activation.h).
  void activation_s16(KernelId id) {
    const auto s = kernels::int16_activation_scaling(scale_of(v_.input(0)), id == KernelId::tanh_s16);
    if (!s) v_.fail("int16 LOGISTIC / TANH input scale out of range");
    call_.statement = fmt::format("{}({}, {}, {}, {}, {});", fn(id), count(), s->multiplier, s->right_shift,
                                  in(p_, 0, "int16_t"), out(p_, "int16_t"));
  }

  // Integer MEAN / SUM: TFLite Micro's reduce_common.cc (the scale ratio in float; MEAN with equal
  // quantization in and out takes the integer path).
  void mean_sum_q() {
    const auto g = kernels::reduce_geometry(v_);
    if (!g) v_.fail("MEAN / SUM geometry unavailable");
    const Tensor& input = v_.input(0);
    const Tensor& output = v_.output(0);
    kernels::Dims reduce{};
    for (std::size_t d = 0; d < reduce.size(); ++d) reduce[d] = g->reduce[d] ? 1 : 0;
    define("ap_reduce_params", "params", {{"in_shape", dims(g->in_shape)}, {"reduce", dims(reduce)}});
    const bool sum = v_.op().opcode == "SUM";
    const bool same = zero_point(input) == zero_point(output) && scale_of(input) == scale_of(output);
    define("ap_reduce_quant", "quant",
           {{"type", type_code(v_, output.type)},
            {"is_sum", sum ? 1 : 0},
            {"same_quantization", !sum && same ? 1 : 0},
            {"input_zero_point", zero_point(input)},
            {"output_zero_point", zero_point(output)},
            {"scale", real(scale_of(input) / scale_of(output))}});
    call_.statement = fmt::format("{}(&{}, &{}, {}, {});", fn(KernelId::mean_sum_q), name("params"), name("quant"),
                                  p_.inputs.at(0), p_.outputs.at(0));
  }

  // int16 SOFTMAX: TFLite Micro's CalculateSoftmaxParams (input scale * beta / (10 / 65535), in
  // double) and its two tables.
  void softmax_s16() {
    const std::int64_t depth = v_.dim(v_.input(0), -1);
    if (depth <= 0) v_.fail("SOFTMAX over an empty dimension");
    const double beta = v_.op().real_attributes.contains("beta") ? v_.op().real_attributes.at("beta") : 1.0;
    const Multiplier m = quantize_multiplier(static_cast<double>(scale_of(v_.input(0))) *
                                             static_cast<double>(static_cast<float>(beta)) / (10.0 / 65535.0));
    const auto table = [&](const char* what, Int16TableFunction f) {
      call_.definitions +=
          fmt::format("static const int16_t {}[513] = {{{}}};\n", name(what), fmt::join(int16_table(f), ", "));
      return name(what);
    };
    const std::string exp = table("exp_lut", Int16TableFunction::exp);
    const std::string reciprocal = table("one_over_lut", Int16TableFunction::one_over_one_plus_x);
    call_.statement = fmt::format("{}({}, {}, {}, {}, {}, {}, {}, {});", fn(KernelId::softmax_s16),
                                  narrow(v_, v_.input(0).elements() / depth, "row count"), depth, m.multiplier, m.shift,
                                  exp, reciprocal, in(p_, 0, "int16_t"), out(p_, "int16_t"));
  }

  void log_softmax(KernelId id) {
    const std::int64_t depth = v_.dim(v_.input(0), -1);
    if (depth <= 0) v_.fail("LOG_SOFTMAX over an empty dimension");
    const std::int32_t rows = narrow(v_, v_.input(0).elements() / depth, "row count");
    if (id == KernelId::log_softmax_f32) {
      call_.statement = fmt::format("{}({}, {}, {}, {});", fn(id), rows, depth, in(p_, 0, "float"), out(p_, "float"));
      return;
    }
    const LogSoftmaxParams q = log_softmax_params(static_cast<double>(v_.input(0).quantization.scale.at(0)));
    call_.statement = fmt::format("{}({}, {}, {}, {}, {}, {}, {}, {}, {});", fn(id), rows, depth,
                                  q.softmax.input_multiplier, q.softmax.input_left_shift, q.reverse_multiplier,
                                  q.reverse_right_shift, q.softmax.diff_min, in(p_, 0, "int8_t"), out(p_, "int8_t"));
  }

  // SPACE_TO_BATCH_ND pads with the output zero point (0 for float32 and unquantized types), as
  // TFLite's space_to_batch_nd.cc.
  void space_batch(KernelId id) {
    const auto g = kernels::space_batch_geometry(v_);
    if (!g) v_.fail("SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND geometry unavailable");
    const auto d = [&](std::int64_t x) { return narrow(v_, x, "dimension"); };
    const Tensor& output = v_.output(0);
    define("ap_space_batch_params", "params",
           {{"element_size", narrow(v_, kernels::element_size(output.type), "element size")},
            {"in_batch", d(g->in_batch)},
            {"in_h", d(g->in_h)},
            {"in_w", d(g->in_w)},
            {"depth", d(g->depth)},
            {"out_batch", d(g->out_batch)},
            {"out_h", d(g->out_h)},
            {"out_w", d(g->out_w)},
            {"block_h", d(g->block_h)},
            {"block_w", d(g->block_w)},
            {"pad_top", d(g->pad_top)},
            {"pad_left", d(g->pad_left)}});
    if (id == KernelId::batch_to_space) {
      call_.statement = fmt::format("{}(&{}, {}, {});", fn(id), name("params"), p_.inputs.at(0), p_.outputs.at(0));
      return;
    }
    const bool zero_point_pad = output.type != DataType::float32 && !output.quantization.zero_point.empty();
    const char* c_type = output.type == DataType::float32 ? "float"
                         : output.type == DataType::int8  ? "int8_t"
                         : output.type == DataType::uint8 ? "uint8_t"
                         : output.type == DataType::int16 ? "int16_t"
                         : output.type == DataType::int64 ? "int64_t"
                                                          : "int32_t";
    call_.definitions += fmt::format("static const {} {} = {};\n", c_type, name("pad_value"),
                                     zero_point_pad ? fmt::to_string(zero_point(output)) : std::string("0"));
    call_.statement = fmt::format("{}(&{}, &{}, {}, {});", fn(id), name("params"), name("pad_value"), p_.inputs.at(0),
                                  p_.outputs.at(0));
  }

  const OperatorView& v_;
  const OperandPointers& p_;
  const std::string& sym_;
  KernelCall call_;
};

}  // namespace

KernelCall generic_kernel_call(const OperatorView& v, const OperandPointers& pointers, const std::string& symbol,
                               KernelId id) {
  return GenericEmitter(v, pointers, symbol).run(id);
}

}  // namespace arenaplan::c_out
