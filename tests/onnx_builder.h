// Small ONNX models built in memory for the importer tests (libonnx's protobuf classes).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

namespace arenaplan::test {

class OnnxBuilder {
 public:
  explicit OnnxBuilder(std::int64_t opset = 13) {
    model_.set_ir_version(8);
    auto* o = model_.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    model_.mutable_graph()->set_name("g");
  }

  // A graph input; a dimension of -1 is symbolic ("N").
  void input(const std::string& name, const std::vector<std::int64_t>& dims,
             std::int32_t type = onnx::TensorProto_DataType_FLOAT) {
    auto* t = model_.mutable_graph()->add_input()->mutable_type()->mutable_tensor_type();
    model_.mutable_graph()->mutable_input()->rbegin()->set_name(name);
    t->set_elem_type(type);
    set_dims(t, dims);
  }

  // A graph output (ONNX's checker wants its shape; shape inference must agree with it); -1 is "N".
  void output(const std::string& name, const std::vector<std::int64_t>& dims,
              std::int32_t type = onnx::TensorProto_DataType_FLOAT) {
    auto* o = model_.mutable_graph()->add_output();
    o->set_name(name);
    auto* t = o->mutable_type()->mutable_tensor_type();
    t->set_elem_type(type);
    set_dims(t, dims);
  }

  onnx::TensorProto* initializer(const std::string& name, const std::vector<std::int64_t>& dims,
                                 const std::vector<float>& values) {
    onnx::TensorProto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto_DataType_FLOAT);
    for (std::int64_t d : dims) t->add_dims(d);
    for (float v : values) t->add_float_data(v);
    return t;
  }

  onnx::TensorProto* int64_initializer(const std::string& name, const std::vector<std::int64_t>& values) {
    onnx::TensorProto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto_DataType_INT64);
    t->add_dims(static_cast<std::int64_t>(values.size()));
    for (std::int64_t v : values) t->add_int64_data(v);
    return t;
  }

  // An integer initializer of any ONNX integer type (int8, uint8, int32: int32_data holds them all).
  onnx::TensorProto* typed(const std::string& name, std::int32_t type, const std::vector<std::int64_t>& dims,
                           const std::vector<std::int32_t>& values) {
    onnx::TensorProto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(type);
    for (std::int64_t d : dims) t->add_dims(d);
    for (std::int32_t v : values) t->add_int32_data(v);
    return t;
  }

  onnx::NodeProto* node(const std::string& op, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs) {
    onnx::NodeProto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    for (const auto& i : inputs) n->add_input(i);
    for (const auto& o : outputs) n->add_output(o);
    return n;
  }

  static void ints(onnx::NodeProto* n, const std::string& name, const std::vector<std::int64_t>& values) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_INTS);
    for (std::int64_t v : values) a->add_ints(v);
  }
  static void integer(onnx::NodeProto* n, const std::string& name, std::int64_t value) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_INT);
    a->set_i(value);
  }
  static void real(onnx::NodeProto* n, const std::string& name, float value) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_FLOAT);
    a->set_f(value);
  }

  onnx::ModelProto& proto() { return model_; }

  std::vector<std::uint8_t> bytes() const {
    std::string s;
    model_.SerializeToString(&s);
    return {s.begin(), s.end()};
  }

 private:
  // "N" for -1; the shape is present even when empty (a scalar).
  static void set_dims(onnx::TypeProto_Tensor* t, const std::vector<std::int64_t>& dims) {
    t->mutable_shape();
    for (std::int64_t d : dims) {
      auto* dim = t->mutable_shape()->add_dim();
      if (d < 0)
        dim->set_dim_param("N");
      else
        dim->set_dim_value(d);
    }
  }

  onnx::ModelProto model_;
};

}  // namespace arenaplan::test
