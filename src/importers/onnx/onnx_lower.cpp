// Lowers the folded ONNX model onto the Graph's TFLite-style operators (docs/onnx.md). Every 4-D
// activation is kept NHWC, as the kernels are; a value may have two tensors, its NHWC one and
// one in ONNX order, and the second is made on demand by a TRANSPOSE (a RESHAPE when only
// dimensions of size 1 move). Layout-free operators (Reshape, Transpose, Softmax, Gemm) work in
// ONNX order, so graph inputs and outputs stay as ONNX defines them.
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "importers/onnx/onnx_internal.h"
#include "importers/onnx/onnx_lowering.h"

namespace arenaplan::onnx_import {

std::int32_t Lowerer::add_tensor(const std::string& name, DataType type, std::vector<std::int64_t> shape) {
  Tensor t;
  t.name = name;
  t.type = type;
  t.shape = std::move(shape);
  const std::int64_t count = element_count(t.shape);
  if (count < 0) m_.fail(fmt::format("value '{}' has an absurd shape", name));
  const auto bytes = data_bytes(type, count, fmt::format("{}: value '{}'", m_.source, name));
  if (!bytes) m_.fail(fmt::format("value '{}' has type {}, which has no fixed size", name, to_string(type)));
  t.bytes = *bytes;
  g_.tensors.push_back(std::move(t));
  return static_cast<std::int32_t>(g_.tensors.size() - 1);
}

std::int32_t Lowerer::add_constant(const std::string& name, const Value& v) {
  const std::int32_t t = add_tensor(name, v.type, v.shape);
  g_.tensors[static_cast<std::size_t>(t)].is_constant = true;
  g_.tensors[static_cast<std::size_t>(t)].constant_buffer = static_cast<std::int64_t>(g_.constant_data.size());
  g_.constant_data.push_back(*v.data);
  return t;
}

std::int32_t Lowerer::int32_constant(const std::string& name, const std::vector<std::int64_t>& values,
                                     std::vector<std::int64_t> shape) {
  return add_constant(name, make_constant(DataType::int32, std::move(shape), {values.begin(), values.end()}));
}

const Value& Lowerer::known(const std::string& name) const {
  const Value& v = m_.value(name);
  if (!v.known)
    m_.fail(
        fmt::format("value '{}' has a dynamic shape after shape inference; give the symbolic dimensions with "
                    "--dim NAME=VALUE or export the model with static shapes",
                    name));
  return v;
}

std::vector<std::int64_t> Lowerer::to_nhwc(const std::vector<std::int64_t>& s) { return {s[0], s[2], s[3], s[1]}; }

void Lowerer::emit(const std::string& opcode, std::vector<std::int32_t> inputs, std::vector<std::int32_t> outputs,
                   std::map<std::string, std::int64_t, std::less<>> attributes,
                   std::map<std::string, double, std::less<>> reals) {
  Operator op;
  op.opcode = opcode;
  op.inputs = std::move(inputs);
  op.outputs = std::move(outputs);
  op.attributes = std::move(attributes);
  op.real_attributes = std::move(reals);
  g_.operators.push_back(std::move(op));
}

// A permutation that moves only dimensions of size 1 keeps the bytes in order: a RESHAPE.
std::int32_t Lowerer::transpose(std::int32_t in, const std::vector<std::int64_t>& perm, const std::string& name) {
  const std::vector<std::int64_t> shape = g_.tensors[static_cast<std::size_t>(in)].shape;
  std::vector<std::int64_t> out_shape;
  for (std::int64_t p : perm) out_shape.push_back(shape[static_cast<std::size_t>(p)]);
  std::vector<std::int64_t> kept;
  for (std::int64_t p : perm)
    if (shape[static_cast<std::size_t>(p)] != 1) kept.push_back(p);
  const bool ordered = std::is_sorted(kept.begin(), kept.end());
  const std::int32_t out = add_tensor(name, g_.tensors[static_cast<std::size_t>(in)].type, out_shape);
  g_.tensors[static_cast<std::size_t>(out)].quantization = g_.tensors[static_cast<std::size_t>(in)].quantization;
  if (ordered) {
    reshape_into(in, out);
  } else {
    const std::int32_t p = int32_constant(name + "/perm", perm, {static_cast<std::int64_t>(perm.size())});
    emit("TRANSPOSE", {in, p}, {out});
  }
  return out;
}

void Lowerer::reshape_into(std::int32_t in, std::int32_t out) {
  // Copies: adding the shape constant grows the tensor list.
  const std::vector<std::int64_t> shape = g_.tensors[static_cast<std::size_t>(out)].shape;
  const std::string name = g_.tensors[static_cast<std::size_t>(out)].name;
  const std::int32_t s = int32_constant(name + "/shape", shape, {static_cast<std::int64_t>(shape.size())});
  emit("RESHAPE", {in, s}, {out});
}

std::int32_t Lowerer::onnx_order(const std::string& name) {
  Slot& slot = slots_[name];
  if (slot.onnx >= 0) return slot.onnx;
  if (m_.is_constant(name)) return slot.onnx = add_constant(name, m_.value(name));
  if (slot.nhwc < 0) m_.fail(fmt::format("value '{}' is used before it is computed", name));
  const std::int32_t t = transpose(slot.nhwc, {0, 3, 1, 2}, name + "/nchw");
  slots_[name].onnx = t;
  return t;
}

std::int32_t Lowerer::nhwc(const std::string& name) {
  Slot& slot = slots_[name];
  if (slot.nhwc >= 0) return slot.nhwc;
  if (m_.is_constant(name)) {
    Value v = m_.value(name);
    while (v.shape.size() < 4) v.shape.insert(v.shape.begin(), 1);
    if (v.shape.size() != 4) m_.fail(fmt::format("constant '{}' has more than 4 dimensions", name));
    v.data = permute(*v.data, element_size(v.type), v.shape, {0, 2, 3, 1});
    v.shape = to_nhwc(v.shape);
    return slot.nhwc = add_constant(name + "/nhwc", v);
  }
  if (slot.onnx < 0) m_.fail(fmt::format("value '{}' is used before it is computed", name));
  if (g_.tensors[static_cast<std::size_t>(slot.onnx)].shape.size() != 4)
    m_.fail(fmt::format("value '{}' is not 4-D where a 4-D tensor is needed", name));
  const std::int32_t t = transpose(slot.onnx, {0, 2, 3, 1}, name + "/nhwc");
  slots_[name].nhwc = t;
  return t;
}

bool Lowerer::has_nhwc(const std::string& name) const {
  const auto it = slots_.find(name);
  return it != slots_.end() && it->second.nhwc >= 0;
}

std::int32_t Lowerer::define(const std::string& name, bool as_nhwc) {
  const Value& v = known(name);
  if (as_nhwc && v.shape.size() != 4) m_.fail(fmt::format("value '{}' is not 4-D", name));
  const std::int32_t t = add_tensor(name, v.type, as_nhwc ? to_nhwc(v.shape) : v.shape);
  (as_nhwc ? slots_[name].nhwc : slots_[name].onnx) = t;
  return t;
}

std::vector<std::size_t> Lowerer::consumers(const std::string& value) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < m_.nodes.size(); ++i)
    if (std::count(m_.nodes[i].inputs.begin(), m_.nodes[i].inputs.end(), value)) out.push_back(i);
  return out;
}

// The activation (TFLite fused_activation_function) of a Relu or Clip that alone reads `node`'s
// output; that node is then absorbed and `out` names its output.
std::int64_t Lowerer::fuse_activation(const Node& node, std::string& out) {
  out = node.outputs[0];
  if (std::count(m_.outputs.begin(), m_.outputs.end(), out)) return 0;
  const auto readers = consumers(out);
  if (readers.size() != 1) return 0;
  const Node& next = m_.nodes[readers[0]];
  std::int64_t code = 0;
  if (next.op == "Relu") code = 1;
  if (next.op == "Clip") {
    const auto [lo, hi] = clip_range(next);
    if (lo == 0.0 && hi == 6.0) code = 3;
    if (lo == -1.0 && hi == 1.0) code = 2;
  }
  if (code == 0) return 0;
  absorbed_.insert(readers[0]);
  out = next.outputs[0];
  return code;
}

std::pair<double, double> Lowerer::clip_range(const Node& n) const {
  double lo = n.float_or("min", -std::numeric_limits<double>::infinity());
  double hi = n.float_or("max", std::numeric_limits<double>::infinity());
  auto input = [&](std::size_t i, double& target) {
    if (n.inputs.size() <= i || n.inputs[i].empty()) return;
    if (!m_.is_constant(n.inputs[i])) m_.fail(fmt::format("{}: Clip bounds must be constants", m_.describe(n)));
    const auto v = as_doubles(m_.value(n.inputs[i]));
    if (v.size() != 1) m_.fail(fmt::format("{}: Clip bounds must be scalars", m_.describe(n)));
    target = v[0];
  };
  input(1, lo);
  input(2, hi);
  return {lo, hi};
}

Graph Lowerer::run() {
  g_.source = m_.source;
  for (const std::string& in : m_.inputs) {
    const std::int32_t t = define(in, false);
    g_.tensors[static_cast<std::size_t>(t)].is_input = true;
    g_.inputs.push_back(t);
  }
  match_qdq();
  for (std::size_t i = 0; i < m_.nodes.size(); ++i) {
    if (absorbed_.count(i)) continue;
    lower_node(m_.nodes[i]);
  }
  pass_quantization_through();
  for (const std::string& out : m_.outputs) {
    if (m_.is_constant(out)) m_.fail(fmt::format("graph output '{}' is a constant", out));
    const std::int32_t t = onnx_order(out);
    g_.tensors[static_cast<std::size_t>(t)].is_output = true;
    g_.outputs.push_back(t);
  }
  return std::move(g_);
}

}  // namespace arenaplan::onnx_import
