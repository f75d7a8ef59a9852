// Parses an ONNX protobuf, checks it with ONNX's checker, runs ONNX shape inference (symbolic
// dimensions of the graph inputs fixed first) and copies what the importer needs into plain values.
// The only file of the importer that sees protobuf; every libonnx/protobuf failure becomes one
// InputError line.
#include <cstring>
#include <limits>

#include <fmt/format.h>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include "arenaplan/error.h"
#include "importers/onnx/onnx_internal.h"

namespace arenaplan::onnx_import {
namespace {

constexpr std::int64_t kMinOpset = 7;
constexpr std::int64_t kMaxOpset = 17;
constexpr std::int64_t kMaxElements = std::int64_t{1} << 56;

std::optional<DataType> data_type(std::int32_t t) {
  using T = onnx::TensorProto_DataType;
  switch (t) {
    case T::TensorProto_DataType_FLOAT: return DataType::float32;
    case T::TensorProto_DataType_UINT8: return DataType::uint8;
    case T::TensorProto_DataType_INT8: return DataType::int8;
    case T::TensorProto_DataType_UINT16: return DataType::uint16;
    case T::TensorProto_DataType_INT16: return DataType::int16;
    case T::TensorProto_DataType_INT32: return DataType::int32;
    case T::TensorProto_DataType_INT64: return DataType::int64;
    case T::TensorProto_DataType_BOOL: return DataType::boolean;
    case T::TensorProto_DataType_FLOAT16: return DataType::float16;
    case T::TensorProto_DataType_DOUBLE: return DataType::float64;
    case T::TensorProto_DataType_UINT32: return DataType::uint32;
    case T::TensorProto_DataType_UINT64: return DataType::uint64;
    case T::TensorProto_DataType_BFLOAT16: return DataType::bfloat16;
    default: return std::nullopt;
  }
}

class ProtoReader {
 public:
  ProtoReader(std::string_view source, const OnnxOptions& options) : options_(options) {
    model_.source = std::string(source);
    model_.max_folded_bytes = options.max_folded_bytes;
  }

  Model read(std::span<const std::uint8_t> bytes) {
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
      model_.fail("file is too large for an ONNX protobuf (2 GiB)");
    onnx::ModelProto proto;
    if (bytes.empty() || !proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
      model_.fail("not an ONNX model (the protobuf does not parse as an ONNX ModelProto)");
    if (!proto.has_graph()) model_.fail("not an ONNX model (no graph)");
    read_opset(proto);
    reject_external_data(proto.graph());
    fix_symbolic_dims(*proto.mutable_graph());
    state_kernel_shapes(*proto.mutable_graph());
    check_strides(proto.graph());
    try {
      onnx::checker::check_model(proto);
      onnx::shape_inference::InferShapes(proto);
    } catch (const std::exception& e) { model_.fail(fmt::format("invalid ONNX model: {}", first_line(e.what()))); }
    read_graph(proto.graph());
    return std::move(model_);
  }

 private:
  static std::string first_line(std::string_view text) {
    const auto end = text.find('\n');
    return std::string(text.substr(0, end));
  }

  void read_opset(const onnx::ModelProto& proto) {
    for (const auto& o : proto.opset_import()) {
      if (o.domain().empty() || o.domain() == "ai.onnx") model_.opset = o.version();
    }
    if (model_.opset == 0) model_.fail("the model imports no opset of the default ONNX domain");
    if (model_.opset < kMinOpset || model_.opset > kMaxOpset)
      model_.fail(fmt::format("opset {} is not supported (opsets {} to {})", model_.opset, kMinOpset, kMaxOpset));
  }

  void reject_external_data(const onnx::GraphProto& g) const {
    for (const auto& t : g.initializer())
      if (t.data_location() == onnx::TensorProto_DataLocation_EXTERNAL)
        model_.fail(fmt::format(
            "initializer '{}' is stored in an external data file; external-data ONNX models are not supported "
            "(save the model with its weights inside the .onnx file)",
            t.name()));
    for (const auto& n : g.node())
      for (const auto& a : n.attribute())
        if (a.has_t() && a.t().data_location() == onnx::TensorProto_DataLocation_EXTERNAL)
          model_.fail(
              fmt::format("node '{}' keeps a tensor in an external data file; external-data ONNX models are "
                          "not supported",
                          n.name()));
  }

  // Symbolic dimensions of the graph inputs: the value given with --dim NAME=VALUE, else 1 (the batch).
  // A convolution without `kernel_shape` gets its weight's spatial dimensions as one (what the
  // attribute means by the standard). ONNX 1.12's shape inference checks the attribute's length
  // against the input's rank but indexes a kernel taken from the weight without checking it: a
  // weight of lower rank than the input read out of bounds, and an input of lower rank than a
  // dequantized weight dereferenced a null pointer (both found by fuzz_onnx).
  static void state_kernel_shapes(onnx::GraphProto& g) {
    for (auto& node : *g.mutable_node()) {
      if (!node.domain().empty()) continue;
      const std::string& op = node.op_type();
      const int weight = op == "QLinearConv" ? 3 : 1;
      if ((op != "Conv" && op != "ConvInteger" && op != "ConvTranspose" && op != "QLinearConv") ||
          node.input_size() <= weight)
        continue;
      bool stated = false;
      for (const auto& a : node.attribute()) stated = stated || a.name() == "kernel_shape";
      if (stated) continue;
      std::vector<std::int64_t> dims;
      bool known = false;
      // A quantized weight is a DequantizeLinear of a constant (QDQ models): its shape is the constant's.
      std::string weight_name = node.input(weight);
      for (const auto& producer : g.node())
        if (producer.domain().empty() && producer.op_type() == "DequantizeLinear" && producer.output_size() > 0 &&
            producer.output(0) == weight_name && producer.input_size() > 0)
          weight_name = producer.input(0);
      for (const auto& init : g.initializer())
        if (init.name() == weight_name) {
          dims.assign(init.dims().begin(), init.dims().end());
          known = true;
        }
      for (const auto& input : g.input())
        if (!known && input.name() == weight_name && input.type().has_tensor_type() &&
            input.type().tensor_type().has_shape()) {
          known = true;
          for (const auto& d : input.type().tensor_type().shape().dim()) {
            known = known && d.has_dim_value();
            dims.push_back(d.dim_value());
          }
        }
      if (!known) continue;
      onnx::AttributeProto* a = node.add_attribute();
      a->set_name("kernel_shape");
      a->set_type(onnx::AttributeProto::INTS);
      for (std::size_t i = 2; i < dims.size(); ++i) a->add_ints(dims[i]);
    }
  }

  // ONNX 1.12's shape inference of convolutions and pooling divides by the strides unchecked (a
  // stride of 0 was a division by zero, found by fuzz_onnx): strides and dilations must be >= 1.
  void check_strides(const onnx::GraphProto& g) const {
    for (int i = 0; i < g.node_size(); ++i) {
      const onnx::NodeProto& node = g.node(i);
      if (!node.domain().empty()) continue;
      for (const auto& a : node.attribute())
        if (a.name() == "strides" || a.name() == "dilations")
          for (const std::int64_t v : a.ints())
            if (v < 1)
              model_.fail(fmt::format("node {} ({}): {} must be at least 1, not {}", i, node.op_type(), a.name(), v));
    }
  }

  void fix_symbolic_dims(onnx::GraphProto& g) const {
    for (auto& input : *g.mutable_input()) {
      if (!input.type().has_tensor_type() || !input.type().tensor_type().has_shape()) continue;
      for (auto& d : *input.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim()) {
        if (d.has_dim_value()) continue;
        std::int64_t v = 1;
        if (d.has_dim_param()) {
          const auto it = options_.dims.find(d.dim_param());
          if (it != options_.dims.end()) v = it->second;
        }
        d.set_dim_value(v);
      }
    }
  }

  Value tensor_value(const onnx::TensorProto& t) const {
    Value v;
    const auto type = data_type(t.data_type());
    if (!type) model_.fail(fmt::format("tensor '{}' has unsupported element type {}", t.name(), t.data_type()));
    v.type = *type;
    v.known = true;
    for (std::int64_t d : t.dims()) {
      if (d < 0) model_.fail(fmt::format("tensor '{}' has a negative dimension", t.name()));
      v.shape.push_back(d);
    }
    const std::int64_t count = element_count(v.shape);
    if (count < 0 || count > kMaxElements) model_.fail(fmt::format("tensor '{}' has an absurd shape", t.name()));
    const std::size_t size = element_size(v.type);
    if (size == 0) model_.fail(fmt::format("tensor '{}' has an element type without a fixed size", t.name()));
    const auto bytes = static_cast<std::size_t>(count) * size;
    std::vector<std::uint8_t> data;
    if (t.has_raw_data()) {
      if (t.raw_data().size() != bytes)
        model_.fail(
            fmt::format("tensor '{}' holds {} bytes but its shape needs {}", t.name(), t.raw_data().size(), bytes));
      data.assign(t.raw_data().begin(), t.raw_data().end());
    } else {
      data = typed_data(t, v.type, static_cast<std::size_t>(count));
    }
    v.data = std::move(data);
    return v;
  }

  // The typed repeated fields: float_data, int32_data (also the 8/16-bit types and bool),
  // int64_data, double_data, uint64_data (also uint32).
  std::vector<std::uint8_t> typed_data(const onnx::TensorProto& t, DataType type, std::size_t count) const {
    std::vector<double> numbers;
    auto take = [&](const auto& field) {
      if (static_cast<std::size_t>(field.size()) != count)
        model_.fail(fmt::format("tensor '{}' holds {} values but its shape needs {}", t.name(), field.size(), count));
      for (const auto& x : field) numbers.push_back(static_cast<double>(x));
    };
    switch (type) {
      case DataType::float32: take(t.float_data()); break;
      case DataType::float64: take(t.double_data()); break;
      case DataType::int64: {
        // int64 values beyond 2^53 must not pass through double.
        if (static_cast<std::size_t>(t.int64_data().size()) != count)
          model_.fail(fmt::format("tensor '{}' holds {} values but its shape needs {}", t.name(), t.int64_data().size(),
                                  count));
        std::vector<std::uint8_t> out(count * 8);
        for (std::size_t i = 0; i < count; ++i) {
          const std::int64_t x = t.int64_data(static_cast<int>(i));
          std::memcpy(out.data() + i * 8, &x, 8);
        }
        return out;
      }
      case DataType::uint32:
      case DataType::uint64: take(t.uint64_data()); break;
      case DataType::float16:
      case DataType::bfloat16:
        model_.fail(fmt::format("tensor '{}': 16-bit float constants are not supported", t.name()));
      default: take(t.int32_data()); break;
    }
    Value v = make_constant(type, {static_cast<std::int64_t>(count)}, numbers);
    return std::move(*v.data);
  }

  Value value_info(const onnx::ValueInfoProto& info) const {
    Value v;
    if (!info.type().has_tensor_type()) return v;
    const auto& tt = info.type().tensor_type();
    const auto type = data_type(tt.elem_type());
    if (!type || !tt.has_shape()) return v;
    v.type = *type;
    for (const auto& d : tt.shape().dim()) {
      if (!d.has_dim_value() || d.dim_value() < 0) return v;
      v.shape.push_back(d.dim_value());
    }
    v.known = true;
    return v;
  }

  Attribute attribute(const onnx::AttributeProto& a) const {
    Attribute out;
    out.i = a.i();
    out.f = a.f();
    out.s = a.s();
    for (std::int64_t x : a.ints()) out.ints.push_back(x);
    for (float x : a.floats()) out.floats.push_back(x);
    if (a.has_t()) out.tensor = tensor_value(a.t());
    return out;
  }

  void read_graph(const onnx::GraphProto& g) {
    for (const auto& t : g.initializer()) model_.values[t.name()] = tensor_value(t);
    for (const auto& info : g.value_info()) model_.values.try_emplace(info.name(), value_info(info));
    for (const auto& info : g.output()) {
      model_.values.try_emplace(info.name(), value_info(info));
      model_.outputs.push_back(info.name());
    }
    for (const auto& info : g.input()) {
      if (model_.values.count(info.name()) && model_.values[info.name()].data) continue;  // an initializer (IR < 4)
      model_.values[info.name()] = value_info(info);
      model_.inputs.push_back(info.name());
    }
    for (const auto& n : g.node()) {
      if (!n.domain().empty() && n.domain() != "ai.onnx")
        model_.fail(fmt::format("node '{}' uses operator {} of domain '{}'; only the default ONNX domain is supported",
                                n.name(), n.op_type(), n.domain()));
      Node node;
      node.op = n.op_type();
      node.name = n.name();
      node.inputs.assign(n.input().begin(), n.input().end());
      node.outputs.assign(n.output().begin(), n.output().end());
      for (const auto& a : n.attribute()) node.attributes[a.name()] = attribute(a);
      for (const std::string& o : node.outputs)
        if (!o.empty()) model_.values.try_emplace(o);
      model_.nodes.push_back(std::move(node));
    }
  }

  const OnnxOptions& options_;
  Model model_;
};

}  // namespace

Model read_proto(std::span<const std::uint8_t> bytes, std::string_view source, const OnnxOptions& options) {
  return ProtoReader(source, options).read(bytes);
}

}  // namespace arenaplan::onnx_import
