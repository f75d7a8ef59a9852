// The lowering of a folded ONNX model to the Graph (onnx_lower.cpp: tensors and layouts;
// onnx_ops.cpp: one mapping per ONNX operator; onnx_conv.cpp: convolutions and pooling).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "importers/onnx/onnx_internal.h"

namespace arenaplan::onnx_import {

// TFLite's fused activation codes.
inline constexpr std::int64_t kActNone = 0;

class Lowerer {
 public:
  explicit Lowerer(const Model& m) : m_(m) {}
  Graph run();

 private:
  struct Slot {
    std::int32_t onnx = -1;  // the value in ONNX order
    std::int32_t nhwc = -1;  // a 4-D value in NHWC order
    bool onnx_ready() const { return onnx >= 0; }
  };
  using Ints = std::map<std::string, std::int64_t, std::less<>>;
  using Reals = std::map<std::string, double, std::less<>>;
  // What a Conv or Gemm reads and writes: float, or quantized (QDQ around it, QLinearConv,
  // QLinearMatMul) with the quantization of each operand.
  struct Weighted {
    std::string x, y;  // the activation read and the value written
    Value weights;     // constant, in ONNX's layout
    std::string weights_name, bias_name;
    std::optional<Value> bias;
    Quantization x_quantization, weights_quantization, bias_quantization, y_quantization;
    std::int64_t activation = 0;
  };

  std::int32_t add_tensor(const std::string& name, DataType type, std::vector<std::int64_t> shape);
  std::int32_t add_constant(const std::string& name, const Value& v);
  std::int32_t int32_constant(const std::string& name, const std::vector<std::int64_t>& values,
                              std::vector<std::int64_t> shape);
  const Value& known(const std::string& name) const;
  static std::vector<std::int64_t> to_nhwc(const std::vector<std::int64_t>& s);
  void emit(const std::string& opcode, std::vector<std::int32_t> inputs, std::vector<std::int32_t> outputs,
            Ints attributes = {}, Reals reals = {});
  std::int32_t transpose(std::int32_t in, const std::vector<std::int64_t>& perm, const std::string& name);
  void reshape_into(std::int32_t in, std::int32_t out);
  std::int32_t onnx_order(const std::string& name);
  std::int32_t nhwc(const std::string& name);
  bool has_nhwc(const std::string& name) const;
  std::int32_t define(const std::string& name, bool as_nhwc);
  std::vector<std::size_t> consumers(const std::string& value) const;
  std::int64_t fuse_activation(const Node& node, std::string& out);
  std::pair<double, double> clip_range(const Node& n) const;
  const Tensor& tensor(std::int32_t t) const { return g_.tensors[static_cast<std::size_t>(t)]; }
  [[noreturn]] void unsupported(const Node& n, const std::string& why) const;

  // onnx_ops.cpp
  void lower_node(const Node& n);
  void unary(const Node& n, const std::string& opcode, Reals reals = {});
  void clip(const Node& n);
  void elementwise(const Node& n, const std::string& opcode);
  void concat(const Node& n);
  void reshape(const Node& n);
  void transpose_node(const Node& n);
  void softmax(const Node& n);
  void gemm(const Node& n);
  void fully_connect(const Node& n, const Weighted& spec, bool trans_b);
  void matmul(const Node& n);
  void global_pool(const Node& n, const std::string& opcode);
  void pad(const Node& n);
  void lrn(const Node& n);
  void affine(const Node& n);
  void quantize_linear(const Node& n, bool quantize);
  Quantization quantization_of(const Node& n) const;
  void pass_quantization_through();

  std::int32_t quantized_constant(const std::string& name, const Value& v, const Quantization& q);
  void set_quantization(const std::string& value, const Quantization& q);

  // onnx_qdq.cpp: Conv/Gemm/MatMul between DequantizeLinear and QuantizeLinear, QLinearConv, QLinearMatMul.
  void match_qdq();
  std::optional<Weighted> qdq_pattern(std::size_t node);
  Quantization constant_quantization(const Node& n, std::size_t scale, std::size_t zero_point, std::int64_t axis) const;
  void qlinear(const Node& n);

  // onnx_conv.cpp
  void conv(const Node& n);
  void convolve(const Node& n, const Weighted& spec);
  void pool(const Node& n, const std::string& opcode);
  struct Window {
    std::vector<std::int64_t> kernel, strides, dilations, begin, end;  // per spatial dim (H, W)
  };
  Window window(const Node& n, const std::vector<std::int64_t>& in_hw, const std::vector<std::int64_t>& out_hw,
                const std::vector<std::int64_t>& kernel);
  // SAME (when `same_ok`: zero-padded convolution, max pooling, an average over the input only) or
  // VALID when either gives ONNX's windows, else a PAD(V2) of `in` with `fill` and VALID. Returns
  // the (maybe padded) input and the padding code.
  std::pair<std::int32_t, std::int64_t> padding(const Node& n, std::int32_t in, const Window& w,
                                                const std::vector<std::int64_t>& out_hw, std::optional<double> fill,
                                                bool same_ok);

  const Model& m_;
  Graph g_;
  std::map<std::string, Slot, std::less<>> slots_;
  std::set<std::size_t> absorbed_;       // nodes fused into an earlier one
  std::map<const Node*, Weighted> qdq_;  // Conv/Gemm/MatMul run quantized
  // 2-D values flattened from NHWC bytes for a Gemm (their C, H, W): its weight columns are permuted.
  std::map<std::string, std::vector<std::int64_t>, std::less<>> hwc_flattened_;
};

}  // namespace arenaplan::onnx_import
