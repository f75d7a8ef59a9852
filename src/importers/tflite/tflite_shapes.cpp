// Static shapes for a TFLite model with dynamic input dimensions (--dim NAME=AxBx...): the inputs
// get the given shapes, every SHAPE-derived integer computation (SHAPE -> STRIDED_SLICE, PACK,
// ADD, ...) is evaluated here and its result becomes a constant (the operators that computed it
// are dropped), and every tensor whose shape_signature is dynamic gets the shape its operator
// produces. What cannot be worked out is refused by name.
#include <algorithm>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "importers/tflite/tflite_internal.h"

namespace arenaplan::tflite_import {
namespace {

using Values = std::vector<std::int64_t>;
using Shape = std::vector<std::int64_t>;

class ShapeFolder {
 public:
  ShapeFolder(Graph& graph, std::vector<bool> dynamic) : g_(graph), dynamic_(std::move(dynamic)) {
    values_.resize(g_.tensors.size());
    folded_.assign(g_.tensors.size(), false);
    for (std::size_t t = 0; t < g_.tensors.size(); ++t) values_[t] = stored_values(g_.tensors[t]);
  }

  void run() {
    std::vector<Operator> kept;
    for (std::size_t i = 0; i < g_.operators.size(); ++i) {
      const Operator& op = g_.operators[i];
      if (fold(op)) continue;
      for (std::int32_t out : op.outputs)
        if (dynamic_[static_cast<std::size_t>(out)]) infer(i, op);
      kept.push_back(op);
    }
    g_.operators = std::move(kept);
    for (std::size_t t = 0; t < g_.tensors.size(); ++t)
      if (folded_[t]) store(t);
  }

  bool still_dynamic(std::size_t t) const { return dynamic_[t]; }

 private:
  [[noreturn]] void fail(std::size_t op, const std::string& problem) const {
    throw InputError(fmt::format("{}: {}: {}", g_.source, g_.describe_operator(op), problem));
  }

  const Tensor& tensor(std::int32_t t) const { return g_.tensors[static_cast<std::size_t>(t)]; }
  const Shape& shape(const Operator& op, std::size_t input) const { return tensor(op.inputs.at(input)).shape; }
  const std::optional<Values>& value(const Operator& op, std::size_t input) const {
    return values_[static_cast<std::size_t>(op.inputs.at(input))];
  }

  // A constant int32 / int64 tensor's values.
  std::optional<Values> stored_values(const Tensor& t) const {
    if (!t.is_constant || (t.type != DataType::int32 && t.type != DataType::int64)) return std::nullopt;
    const auto& data = g_.constant_data[static_cast<std::size_t>(t.constant_buffer)];
    const std::size_t size = t.type == DataType::int32 ? 4 : 8;
    const auto n = static_cast<std::size_t>(t.elements());
    if (data.size() < n * size) return std::nullopt;
    Values v(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (size == 4) {
        std::int32_t x = 0;
        std::memcpy(&x, data.data() + i * 4, 4);
        v[i] = x;
      } else {
        std::memcpy(&v[i], data.data() + i * 8, 8);
      }
    }
    return v;
  }

  // Evaluates an integer operator whose inputs are known and one of them comes from SHAPE.
  bool fold(const Operator& op) {
    if (op.outputs.size() != 1) return false;
    const auto out = static_cast<std::size_t>(op.outputs[0]);
    const DataType type = g_.tensors[out].type;
    if (type != DataType::int32 && type != DataType::int64) return false;
    if (op.opcode == "SHAPE") {
      if (dynamic_[static_cast<std::size_t>(op.inputs.at(0))]) return false;
      return define(out, shape(op, 0), {static_cast<std::int64_t>(shape(op, 0).size())});
    }
    bool derived = false;
    for (std::int32_t in : op.inputs) {
      if (in < 0 || !values_[static_cast<std::size_t>(in)]) return false;
      derived = derived || folded_[static_cast<std::size_t>(in)];
    }
    if (!derived) return false;
    if (op.opcode == "STRIDED_SLICE") return strided_slice(op, out);
    if (op.opcode == "PACK") return pack(op, out);
    if (op.opcode == "ADD" || op.opcode == "SUB" || op.opcode == "MUL" || op.opcode == "FLOOR_MOD")
      return binary(op, out);
    return false;
  }

  bool define(std::size_t t, Values v, Shape s) {
    values_[t] = std::move(v);
    folded_[t] = true;
    dynamic_[t] = false;
    g_.tensors[t].shape = std::move(s);
    return true;
  }

  // TFLite's strided_slice_logic for begin / end / stride vectors (no ellipsis, no new axes).
  bool strided_slice(const Operator& op, std::size_t out) {
    const Shape& in = shape(op, 0);
    const Values &x = *value(op, 0), &begin = *value(op, 1), &end = *value(op, 2), &stride = *value(op, 3);
    if (op.attribute_or("ellipsis_mask", 0) != 0 || op.attribute_or("new_axis_mask", 0) != 0 ||
        begin.size() != in.size() || end.size() != in.size() || stride.size() != in.size())
      return false;
    const std::int64_t begin_mask = op.attribute_or("begin_mask", 0), end_mask = op.attribute_or("end_mask", 0),
                       shrink = op.attribute_or("shrink_axis_mask", 0);
    std::vector<std::int64_t> start(in.size()), count(in.size());
    Shape result;
    for (std::size_t d = 0; d < in.size(); ++d) {
      const std::int64_t n = in[d], s = stride[d];
      if (s == 0) return false;
      const auto clamp = [&](std::int64_t v, std::int64_t lo, std::int64_t hi) {
        return std::clamp(v < 0 ? v + n : v, lo, hi);
      };
      std::int64_t first =
          begin_mask >> d & 1 ? (s > 0 ? 0 : n - 1) : clamp(begin[d], s > 0 ? 0 : -1, s > 0 ? n : n - 1);
      std::int64_t stop = end_mask >> d & 1 ? (s > 0 ? n : -1) : clamp(end[d], s > 0 ? 0 : -1, s > 0 ? n : n - 1);
      if (shrink >> d & 1) {
        first = begin[d] < 0 ? begin[d] + n : begin[d];
        if (first < 0 || first >= n) return false;
        stop = first + (s > 0 ? 1 : -1);
      }
      start[d] = first;
      count[d] = s > 0 ? std::max<std::int64_t>(0, (stop - first + s - 1) / s)
                       : std::max<std::int64_t>(0, (first - stop - s - 1) / -s);
      if (!(shrink >> d & 1)) result.push_back(count[d]);
    }
    Values v;
    std::vector<std::int64_t> index(in.size(), 0);
    std::int64_t total = 1;
    for (std::int64_t c : count) total *= c;
    for (std::int64_t k = 0; k < total; ++k) {
      std::int64_t offset = 0;
      for (std::size_t d = 0; d < in.size(); ++d) offset = offset * in[d] + start[d] + index[d] * stride[d];
      v.push_back(x[static_cast<std::size_t>(offset)]);
      for (std::size_t d = in.size(); d-- > 0;) {
        if (++index[d] < count[d]) break;
        index[d] = 0;
      }
    }
    return define(out, std::move(v), std::move(result));
  }

  bool pack(const Operator& op, std::size_t out) {
    const Shape& part = shape(op, 0);
    std::int64_t axis = op.attribute_or("axis", 0);
    if (axis < 0) axis += static_cast<std::int64_t>(part.size()) + 1;
    if (axis < 0 || axis > static_cast<std::int64_t>(part.size())) return false;
    std::int64_t outer = 1, inner = 1;
    for (std::size_t d = 0; d < part.size(); ++d) (static_cast<std::int64_t>(d) < axis ? outer : inner) *= part[d];
    Values v;
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::size_t k = 0; k < op.inputs.size(); ++k) {
        const Values& x = *value(op, k);
        if (shape(op, k) != part) return false;
        v.insert(v.end(), x.begin() + o * inner, x.begin() + (o + 1) * inner);
      }
    Shape s = part;
    s.insert(s.begin() + axis, static_cast<std::int64_t>(op.inputs.size()));
    return define(out, std::move(v), std::move(s));
  }

  // ADD, SUB, MUL, FLOOR_MOD with numpy broadcasting (TFLite's integer kernels).
  bool binary(const Operator& op, std::size_t out) {
    const auto s = broadcast(shape(op, 0), shape(op, 1));
    if (!s) return false;
    const Values &a = *value(op, 0), &b = *value(op, 1);
    std::int64_t total = 1;
    for (std::int64_t d : *s) total *= d;
    Values v;
    for (std::int64_t k = 0; k < total; ++k) {
      const std::int64_t x = a[static_cast<std::size_t>(broadcast_index(k, *s, shape(op, 0)))];
      const std::int64_t y = b[static_cast<std::size_t>(broadcast_index(k, *s, shape(op, 1)))];
      if (op.opcode == "ADD") v.push_back(x + y);
      if (op.opcode == "SUB") v.push_back(x - y);
      if (op.opcode == "MUL") v.push_back(x * y);
      if (op.opcode == "FLOOR_MOD") {
        if (y == 0) return false;
        const std::int64_t r = x % y;
        v.push_back(r != 0 && (r < 0) != (y < 0) ? r + y : r);
      }
    }
    return define(out, std::move(v), *s);
  }

  static std::optional<Shape> broadcast(const Shape& a, const Shape& b) {
    Shape s(std::max(a.size(), b.size()), 1);
    for (std::size_t i = 0; i < s.size(); ++i) {
      const std::int64_t x = i < a.size() ? a[a.size() - 1 - i] : 1, y = i < b.size() ? b[b.size() - 1 - i] : 1;
      if (x != y && x != 1 && y != 1) return std::nullopt;
      s[s.size() - 1 - i] = x == 1 ? y : x;
    }
    return s;
  }

  // The element of an input of shape `in` that output element k (of shape `out`) reads.
  static std::int64_t broadcast_index(std::int64_t k, const Shape& out, const Shape& in) {
    std::int64_t index = 0, stride = 1;
    for (std::size_t i = 0; i < out.size(); ++i) {
      const std::size_t d = out.size() - 1 - i;
      const std::int64_t coordinate = k % out[d];
      k /= out[d];
      if (i < in.size()) {
        const std::int64_t n = in[in.size() - 1 - i];
        if (n != 1) index += coordinate * stride;
        stride *= n;
      }
    }
    return index;
  }

  // The output shape of a non-integer operator on resolved inputs.
  void infer(std::size_t i, const Operator& op) {
    const auto out = static_cast<std::size_t>(op.outputs.at(0));
    const auto constant = [&](std::size_t input) -> const Values& {
      if (op.inputs.size() <= input || !value(op, input))
        fail(i, fmt::format("input {} must be constant once the input shapes are set", input));
      return *value(op, input);
    };
    const std::string& code = op.opcode;
    for (std::int32_t in : op.inputs)
      if (in >= 0 && dynamic_[static_cast<std::size_t>(in)])
        fail(i, fmt::format("tensor {} ('{}') still has no static shape", in, tensor(in).name));
    Shape s;
    if (code == "SPACE_TO_BATCH_ND" || code == "BATCH_TO_SPACE_ND") {
      const Shape& in = shape(op, 0);
      const Values &block = constant(1), &pads = constant(2);
      if (in.size() < block.size() + 2 || pads.size() != 2 * block.size())
        fail(i, "block shape and paddings do not fit");
      s = in;
      std::int64_t blocks = 1;
      for (std::size_t d = 0; d < block.size(); ++d) {
        const std::int64_t size = in[d + 1] + (code == "SPACE_TO_BATCH_ND" ? 1 : -1) * (pads[2 * d] + pads[2 * d + 1]);
        if (block[d] <= 0) fail(i, "block shape must be positive");
        if (code == "SPACE_TO_BATCH_ND") {
          if (size % block[d] != 0) fail(i, "padded size is not a multiple of the block");
          s[d + 1] = size / block[d];
        } else {
          s[d + 1] = in[d + 1] * block[d] - pads[2 * d] - pads[2 * d + 1];
        }
        blocks *= block[d];
      }
      if (code == "SPACE_TO_BATCH_ND") {
        s[0] = in[0] * blocks;
      } else {
        if (in[0] % blocks != 0) fail(i, "batch is not a multiple of the block");
        s[0] = in[0] / blocks;
      }
    } else if (code == "CONV_2D" || code == "DEPTHWISE_CONV_2D" || code == "AVERAGE_POOL_2D" || code == "MAX_POOL_2D") {
      const Shape& in = shape(op, 0);
      const bool pool = code.ends_with("POOL_2D");
      const Shape& filter = pool ? in : shape(op, 1);
      if (in.size() != 4 || filter.size() != 4) fail(i, "expected 4-D input and filter");
      const std::int64_t fh = pool ? op.attribute_or("filter_h", 1) : filter[1];
      const std::int64_t fw = pool ? op.attribute_or("filter_w", 1) : filter[2];
      const auto spatial = [&](std::int64_t n, std::int64_t f, const char* stride, const char* dilation) {
        const std::int64_t st = std::max<std::int64_t>(1, op.attribute_or(stride, 1));
        const std::int64_t effective = (f - 1) * std::max<std::int64_t>(1, op.attribute_or(dilation, 1)) + 1;
        return op.attribute_or("padding", kPaddingSame) == kPaddingSame ? (n + st - 1) / st : (n - effective + st) / st;
      };
      const std::int64_t channels = code == "CONV_2D" ? filter[0] : code == "DEPTHWISE_CONV_2D" ? filter[3] : in[3];
      s = {in[0], spatial(in[1], fh, "stride_h", "dilation_h"), spatial(in[2], fw, "stride_w", "dilation_w"), channels};
    } else if (code == "ADD" || code == "SUB" || code == "MUL" || code == "DIV" || code == "MAXIMUM" ||
               code == "MINIMUM" || code == "SQUARED_DIFFERENCE") {
      const auto b = broadcast(shape(op, 0), shape(op, 1));
      if (!b) fail(i, "input shapes do not broadcast");
      s = *b;
    } else if (code == "RELU" || code == "RELU6" || code == "RELU_N1_TO_1" || code == "LOGISTIC" || code == "TANH" ||
               code == "HARD_SWISH" || code == "LEAKY_RELU" || code == "QUANTIZE" || code == "DEQUANTIZE" ||
               code == "SOFTMAX" || code == "LOG_SOFTMAX" || code == "CAST" || code == "ABS" || code == "RSQRT") {
      s = shape(op, 0);
    } else {
      fail(i,
           "its output shape depends on a dynamic input dimension and arenaplan cannot work it out for this "
           "operator; convert the model with fixed input shapes");
    }
    for (std::int64_t d : s)
      if (d <= 0) fail(i, fmt::format("the input shapes give it an empty output (dimension {})", d));
    g_.tensors[out].shape = std::move(s);
    dynamic_[out] = false;
  }

  // A folded tensor becomes a constant with its own stored buffer.
  void store(std::size_t t) {
    Tensor& tensor = g_.tensors[t];
    const Values& v = *values_[t];
    std::vector<std::uint8_t> bytes(v.size() * (tensor.type == DataType::int32 ? 4 : 8));
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (tensor.type == DataType::int32) {
        const auto x = static_cast<std::int32_t>(v[i]);
        std::memcpy(bytes.data() + i * 4, &x, 4);
      } else {
        std::memcpy(bytes.data() + i * 8, &v[i], 8);
      }
    }
    tensor.is_constant = true;
    tensor.constant_buffer = static_cast<std::int64_t>(g_.constant_data.size());
    g_.constant_data.push_back(std::move(bytes));
  }

  Graph& g_;
  std::vector<bool> dynamic_;
  std::vector<std::optional<Values>> values_;
  std::vector<bool> folded_;
};

}  // namespace

std::vector<bool> fold_dynamic_shapes(Graph& graph, std::vector<bool> dynamic) {
  ShapeFolder folder(graph, std::move(dynamic));
  folder.run();
  std::vector<bool> left(graph.tensors.size());
  for (std::size_t t = 0; t < left.size(); ++t) left[t] = folder.still_dynamic(t);
  return left;
}

}  // namespace arenaplan::tflite_import
