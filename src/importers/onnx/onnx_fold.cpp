// Folding passes on the imported ONNX model, before lowering: constant subgraphs are evaluated
// (Constant, ConstantOfShape, shape arithmetic, reshapes of constants), Dropout and Identity
// disappear, and per-channel affine maps (BatchNormalization, Mul/Add/Sub by a per-channel
// constant) are merged and folded into the Conv or Gemm that produces their input.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "importers/onnx/onnx_internal.h"

namespace arenaplan::onnx_import {
namespace {

constexpr const char* kAffine = "ap.Affine";  // inputs: x, scale [C], shift [C]; per channel (axis 1)

bool all_constant(const Model& m, const Node& n) {
  for (const std::string& i : n.inputs)
    if (!i.empty() && !m.is_constant(i)) return false;
  return !n.inputs.empty();
}

std::vector<std::int64_t> strides_of(const std::vector<std::int64_t>& shape) {
  std::vector<std::int64_t> s(shape.size(), 1);
  for (std::size_t d = shape.size(); d-- > 1;) s[d - 1] = s[d] * shape[d];
  return s;
}

// Numpy broadcasting of two constants.
Value broadcast(const Model& m, const Node& n, const Value& a, const Value& b, const Value& out,
                const std::function<double(double, double)>& f) {
  if (!out.known) m.fail(fmt::format("{}: the shape of its output is unknown", m.describe(n)));
  const std::vector<double> x = as_doubles(a), y = as_doubles(b);
  const std::size_t rank = out.shape.size();
  auto aligned = [&](const std::vector<std::int64_t>& s) {
    std::vector<std::int64_t> r(rank - std::min(rank, s.size()), 1);
    r.insert(r.end(), s.begin(), s.end());
    return r;
  };
  const auto as = aligned(a.shape), bs = aligned(b.shape);
  const auto sa = strides_of(as), sb = strides_of(bs);
  const std::int64_t count = element_count(out.shape);
  if (count < 0 || count > m.max_folded_bytes / 8)
    m.fail(fmt::format("{}: its output would exceed {} bytes", m.describe(n), m.max_folded_bytes));
  std::vector<double> result(static_cast<std::size_t>(count));
  std::vector<std::int64_t> index(rank, 0);
  for (std::int64_t o = 0; o < count; ++o) {
    std::int64_t ia = 0, ib = 0;
    for (std::size_t d = 0; d < rank; ++d) {
      if (as[d] != 1) ia += index[d] * sa[d];
      if (bs[d] != 1) ib += index[d] * sb[d];
    }
    result[static_cast<std::size_t>(o)] = f(x[static_cast<std::size_t>(ia)], y[static_cast<std::size_t>(ib)]);
    for (std::size_t d = rank; d-- > 0;) {
      if (++index[d] < out.shape[d]) break;
      index[d] = 0;
    }
  }
  return make_constant(out.type, out.shape, result);
}

std::optional<std::function<double(double, double)>> binary(const std::string& op, DataType type) {
  const bool f32 = type == DataType::float32;
  auto round = [f32](double v) { return f32 ? static_cast<double>(static_cast<float>(v)) : v; };
  if (op == "Add") return [round](double a, double b) { return round(a + b); };
  if (op == "Sub") return [round](double a, double b) { return round(a - b); };
  if (op == "Mul") return [round](double a, double b) { return round(a * b); };
  if (op == "Div")
    return [round, type](double a, double b) {
      if (type == DataType::float32 || type == DataType::float64) return round(a / b);
      return b == 0 ? 0.0 : std::trunc(a / b);
    };
  return std::nullopt;
}

class Folder {
 public:
  explicit Folder(Model& m) : m_(m) {}

  void run() {
    fold_constants();
    remove_identities();
    matmul_to_gemm();
    make_affines();
    merge_affines();
    fold_affines();
    compact();
  }

 private:
  Value& out_value(const Node& n, std::size_t i = 0) { return m_.values[n.outputs.at(i)]; }

  void set_constant(const Node& n, Value v) {
    folded_ += static_cast<std::int64_t>(v.data ? v.data->size() : 0);
    if (folded_ > m_.max_folded_bytes)
      m_.fail(fmt::format("{}: the constants computed at import exceed {} bytes", m_.describe(n), m_.max_folded_bytes));
    Value& out = out_value(n);
    out = std::move(v);
    dead_.insert(&n);
  }

  // A value with the output's inferred type and shape holding `data` unchanged.
  void pass_through(const Node& n) {
    Value out = out_value(n);
    const Value& in = m_.value(n.inputs[0]);
    if (!out.known) m_.fail(fmt::format("{}: the shape of its output is unknown", m_.describe(n)));
    if (element_count(out.shape) != element_count(in.shape))
      m_.fail(fmt::format("{}: output has {} elements but its input {}", m_.describe(n), element_count(out.shape),
                          element_count(in.shape)));
    out.type = in.type;
    out.data = in.data;
    set_constant(n, std::move(out));
  }

  void constant_node(const Node& n) {
    if (const Attribute* a = n.attribute("value"); a && a->tensor) return set_constant(n, *a->tensor);
    if (const Attribute* a = n.attribute("value_float"))
      return set_constant(n, make_constant(DataType::float32, {}, {a->f}));
    if (const Attribute* a = n.attribute("value_floats"))
      return set_constant(n,
                          make_constant(DataType::float32, {static_cast<std::int64_t>(a->floats.size())}, a->floats));
    if (const Attribute* a = n.attribute("value_int"))
      return set_constant(n, make_constant(DataType::int64, {}, {static_cast<double>(a->i)}));
    if (const Attribute* a = n.attribute("value_ints")) {
      std::vector<double> v(a->ints.begin(), a->ints.end());
      return set_constant(n, make_constant(DataType::int64, {static_cast<std::int64_t>(v.size())}, v));
    }
    m_.fail(fmt::format("{}: a Constant without a supported value attribute", m_.describe(n)));
  }

  void constant_of_shape(const Node& n) {
    const std::vector<std::int64_t> shape = as_ints(m_.value(n.inputs[0]));
    Value fill = make_constant(DataType::float32, {1}, {0.0});
    if (const Attribute* a = n.attribute("value"); a && a->tensor) fill = *a->tensor;
    const std::size_t size = element_size(fill.type);
    if (!fill.data || fill.data->size() < size || size == 0)
      m_.fail(fmt::format("{}: its value is not one element", m_.describe(n)));
    const std::int64_t count = element_count(shape);
    if (count < 0 || count > m_.max_folded_bytes / static_cast<std::int64_t>(size))
      m_.fail(fmt::format("{}: its output would exceed {} bytes", m_.describe(n), m_.max_folded_bytes));
    Value out;
    out.type = fill.type;
    out.shape = shape;
    out.known = true;
    out.data = std::vector<std::uint8_t>();
    out.data->reserve(static_cast<std::size_t>(count) * size);
    for (std::int64_t i = 0; i < count; ++i)
      out.data->insert(out.data->end(), fill.data->begin(), fill.data->begin() + static_cast<std::ptrdiff_t>(size));
    set_constant(n, std::move(out));
  }

  void shape_node(const Node& n) {
    const Value& in = m_.value(n.inputs[0]);
    if (!in.known) return;
    const auto rank = static_cast<std::int64_t>(in.shape.size());
    std::int64_t start = n.int_or("start", 0), end = n.int_or("end", rank);
    if (start < 0) start += rank;
    if (end < 0) end += rank;
    start = std::clamp<std::int64_t>(start, 0, rank);
    end = std::clamp<std::int64_t>(end, start, rank);
    std::vector<double> dims(in.shape.begin() + start, in.shape.begin() + end);
    set_constant(n, make_constant(DataType::int64, {end - start}, dims));
  }

  // Concat and Gather of constants (shape computations of exported PyTorch models).
  void concat(const Node& n) {
    const Value& out0 = out_value(n);
    if (!out0.known) return;
    Value out = out0;
    const auto rank = static_cast<std::int64_t>(out.shape.size());
    std::int64_t axis = n.int_or("axis", 0);
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank) m_.fail(fmt::format("{}: axis out of range", m_.describe(n)));
    std::int64_t outer = 1, inner = static_cast<std::int64_t>(element_size(out.type));
    for (std::int64_t d = 0; d < axis; ++d) outer *= out.shape[static_cast<std::size_t>(d)];
    for (std::int64_t d = axis + 1; d < rank; ++d) inner *= out.shape[static_cast<std::size_t>(d)];
    out.data = std::vector<std::uint8_t>();
    for (std::int64_t o = 0; o < outer; ++o)
      for (const std::string& i : n.inputs) {
        const Value& in = m_.value(i);
        if (in.type != out.type || in.shape.size() != out.shape.size())
          m_.fail(fmt::format("{}: inputs of different types or ranks", m_.describe(n)));
        const auto chunk = static_cast<std::size_t>(in.shape[static_cast<std::size_t>(axis)] * inner);
        const auto first = in.data->begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(o) * chunk);
        out.data->insert(out.data->end(), first, first + static_cast<std::ptrdiff_t>(chunk));
      }
    if (static_cast<std::int64_t>(out.data->size()) !=
        element_count(out.shape) * static_cast<std::int64_t>(element_size(out.type)))
      m_.fail(fmt::format("{}: inputs do not add up to the output shape", m_.describe(n)));
    set_constant(n, std::move(out));
  }

  void gather(const Node& n) {
    const Value& data = m_.value(n.inputs[0]);
    const Value& out0 = out_value(n);
    if (!out0.known || data.shape.empty()) return;
    const auto rank = static_cast<std::int64_t>(data.shape.size());
    std::int64_t axis = n.int_or("axis", 0);
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank) m_.fail(fmt::format("{}: axis out of range", m_.describe(n)));
    const std::int64_t dim = data.shape[static_cast<std::size_t>(axis)];
    std::int64_t outer = 1, inner = static_cast<std::int64_t>(element_size(data.type));
    for (std::int64_t d = 0; d < axis; ++d) outer *= data.shape[static_cast<std::size_t>(d)];
    for (std::int64_t d = axis + 1; d < rank; ++d) inner *= data.shape[static_cast<std::size_t>(d)];
    Value out = out0;
    out.type = data.type;
    if (element_count(out.shape) < 0 || element_count(out.shape) > m_.max_folded_bytes / inner)
      m_.fail(fmt::format("{}: its output would exceed {} bytes", m_.describe(n), m_.max_folded_bytes));
    out.data = std::vector<std::uint8_t>();
    const std::vector<std::int64_t> indices = as_ints(m_.value(n.inputs[1]));
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::int64_t index : indices) {
        if (index < 0) index += dim;
        if (index < 0 || index >= dim) m_.fail(fmt::format("{}: index out of range", m_.describe(n)));
        const auto first = data.data->begin() + static_cast<std::ptrdiff_t>((o * dim + index) * inner);
        out.data->insert(out.data->end(), first, first + static_cast<std::ptrdiff_t>(inner));
      }
    if (static_cast<std::int64_t>(out.data->size()) !=
        element_count(out.shape) * static_cast<std::int64_t>(element_size(out.type)))
      m_.fail(fmt::format("{}: gathered data does not match the output shape", m_.describe(n)));
    set_constant(n, std::move(out));
  }

  void fold_constants() {
    static const std::set<std::string, std::less<>> kMoves = {"Identity", "Dropout", "Unsqueeze",
                                                              "Squeeze",  "Reshape", "Flatten"};
    for (const Node& n : m_.nodes) {
      if (n.op == "Constant") {
        constant_node(n);
      } else if (n.op == "ConstantOfShape" && all_constant(m_, n)) {
        constant_of_shape(n);
      } else if (n.op == "Shape") {
        shape_node(n);
      } else if (kMoves.count(n.op) && m_.is_constant(n.inputs[0]) &&
                 (n.inputs.size() < 2 || n.inputs[1].empty() || m_.is_constant(n.inputs[1]))) {
        pass_through(n);
      } else if (n.op == "Cast" && all_constant(m_, n) && out_value(n).known) {
        const Value& in = m_.value(n.inputs[0]);
        set_constant(n, make_constant(out_value(n).type, out_value(n).shape, as_doubles(in)));
      } else if (n.op == "Concat" && all_constant(m_, n)) {
        concat(n);
      } else if (n.op == "Gather" && all_constant(m_, n)) {
        gather(n);
      } else if (n.inputs.size() == 2 && all_constant(m_, n)) {
        const Value& out = out_value(n);
        if (const auto f = binary(n.op, out.type))
          set_constant(n, broadcast(m_, n, m_.value(n.inputs[0]), m_.value(n.inputs[1]), out, *f));
      }
    }
  }

  void rename_uses(const std::string& from, const std::string& to) {
    for (Node& n : m_.nodes)
      for (std::string& i : n.inputs)
        if (i == from) i = to;
    for (std::string& o : m_.outputs)
      if (o == from) o = to;
  }

  // Dropout (inference: the identity; its mask output unused) and Identity.
  void remove_identities() {
    for (Node& n : m_.nodes) {
      if (dead_.count(&n) || (n.op != "Dropout" && n.op != "Identity")) continue;
      if (n.outputs.size() > 1 && !n.outputs[1].empty() && used(n.outputs[1]))
        m_.fail(fmt::format("{}: its mask output is used; only inference Dropout is supported", m_.describe(n)));
      dead_.insert(&n);
      rename_uses(n.outputs[0], n.inputs[0]);
    }
  }

  bool used(const std::string& value) const {
    for (const Node& n : m_.nodes)
      if (!dead_.count(&n) && std::count(n.inputs.begin(), n.inputs.end(), value)) return true;
    return std::count(m_.outputs.begin(), m_.outputs.end(), value) > 0;
  }

  // The one live node reading `value`, if exactly one reads it and it is no graph output.
  Node* sole_consumer(const std::string& value) {
    if (std::count(m_.outputs.begin(), m_.outputs.end(), value)) return nullptr;
    Node* found = nullptr;
    for (Node& n : m_.nodes) {
      if (dead_.count(&n)) continue;
      const auto uses = std::count(n.inputs.begin(), n.inputs.end(), value);
      if (uses == 0) continue;
      if (found || uses > 1) return nullptr;
      found = &n;
    }
    return found;
  }

  Node* producer(const std::string& value) {
    for (Node& n : m_.nodes)
      if (!dead_.count(&n) && std::count(n.outputs.begin(), n.outputs.end(), value)) return &n;
    return nullptr;
  }

  std::string new_constant(const std::string& base, Value v) {
    std::string name = base;
    for (int k = 1; m_.values.count(name); ++k) name = fmt::format("{}_{}", base, k);
    m_.values[name] = std::move(v);
    return name;
  }

  // MatMul by constant 2-D weights of a 2-D input is a Gemm (then FULLY_CONNECTED).
  void matmul_to_gemm() {
    for (Node& n : m_.nodes) {
      if (dead_.count(&n) || n.op != "MatMul" || n.inputs.size() != 2 || !m_.is_constant(n.inputs[1])) continue;
      const Value& a = m_.value(n.inputs[0]);
      const Value& b = m_.value(n.inputs[1]);
      if (!a.known || a.shape.size() != 2 || b.shape.size() != 2 || b.type != DataType::float32) continue;
      n.op = "Gemm";
      n.attributes.clear();
    }
  }

  // The per-channel values of constant `c` applied to `x` [N, C, ...] by broadcasting, if it is
  // per-channel (or a scalar) and float32.
  std::optional<std::vector<double>> per_channel(const Value& x, const Value& c) const {
    if (!x.known || x.shape.size() < 2 || c.type != DataType::float32 || c.shape.size() > x.shape.size())
      return std::nullopt;
    const std::int64_t channels = x.shape[1];
    const std::vector<double> v = as_doubles(c);
    if (v.size() == 1) return std::vector<double>(static_cast<std::size_t>(channels), v[0]);
    const std::size_t offset = x.shape.size() - c.shape.size();  // c's dim d aligns with x's d + offset
    for (std::size_t d = 0; d < c.shape.size(); ++d) {
      const bool channel_dim = d + offset == 1;
      if (!channel_dim && c.shape[d] != 1) return std::nullopt;
      if (channel_dim && c.shape[d] != channels) return std::nullopt;
    }
    if (offset > 1) return std::nullopt;
    return v;
  }

  void to_affine(Node& n, const std::string& x, std::vector<double> scale, std::vector<double> shift) {
    const auto c = static_cast<std::int64_t>(scale.size());
    const std::string s = new_constant(n.outputs[0] + "/affine_scale", make_constant(DataType::float32, {c}, scale));
    const std::string b = new_constant(n.outputs[0] + "/affine_shift", make_constant(DataType::float32, {c}, shift));
    n.op = kAffine;
    n.inputs = {x, s, b};
    n.outputs.resize(1);
    n.attributes.clear();
  }

  void make_affines() {
    for (Node& n : m_.nodes) {
      if (dead_.count(&n)) continue;
      if (n.op == "BatchNormalization") {
        if (n.inputs.size() != 5 || !m_.is_constant(n.inputs[1]) || !m_.is_constant(n.inputs[2]) ||
            !m_.is_constant(n.inputs[3]) || !m_.is_constant(n.inputs[4]))
          m_.fail(fmt::format("{}: only inference BatchNormalization with constant parameters is supported",
                              m_.describe(n)));
        for (std::size_t k = 1; k < n.outputs.size(); ++k)
          if (!n.outputs[k].empty() && used(n.outputs[k]))
            m_.fail(fmt::format("{}: training-mode outputs are not supported", m_.describe(n)));
        const std::vector<double> g = as_doubles(m_.value(n.inputs[1])), b = as_doubles(m_.value(n.inputs[2])),
                                  mean = as_doubles(m_.value(n.inputs[3])), var = as_doubles(m_.value(n.inputs[4]));
        const Value& x = m_.value(n.inputs[0]);
        if (!x.known || x.shape.size() < 2 || g.size() != static_cast<std::size_t>(x.shape[1]) ||
            b.size() != g.size() || mean.size() != g.size() || var.size() != g.size())
          m_.fail(fmt::format("{}: parameters do not match the channels of its input", m_.describe(n)));
        const double eps = n.float_or("epsilon", 1e-5);
        std::vector<double> scale(g.size()), shift(g.size());
        for (std::size_t c = 0; c < g.size(); ++c) {
          scale[c] = g[c] / std::sqrt(var[c] + eps);
          shift[c] = b[c] - mean[c] * scale[c];
        }
        to_affine(n, n.inputs[0], scale, shift);
        continue;
      }
      if ((n.op != "Mul" && n.op != "Add" && n.op != "Sub") || n.inputs.size() != 2) continue;
      int k = m_.is_constant(n.inputs[1]) ? 1 : (m_.is_constant(n.inputs[0]) && n.op != "Sub" ? 0 : -1);
      if (k < 0) continue;
      const std::string x = n.inputs[static_cast<std::size_t>(1 - k)];
      const Value& xv = m_.value(x);
      const Value& out = out_value(n);
      if (!out.known || out.shape != xv.shape || xv.type != DataType::float32) continue;
      auto v = per_channel(xv, m_.value(n.inputs[static_cast<std::size_t>(k)]));
      if (!v) continue;
      const std::size_t c = v->size();
      if (n.op == "Mul") to_affine(n, x, *v, std::vector<double>(c, 0.0));
      if (n.op == "Add") to_affine(n, x, std::vector<double>(c, 1.0), *v);
      if (n.op == "Sub") {
        for (double& y : *v) y = -y;
        to_affine(n, x, std::vector<double>(c, 1.0), *v);
      }
    }
  }

  std::pair<std::vector<double>, std::vector<double>> affine_of(const Node& n) const {
    return {as_doubles(m_.value(n.inputs[1])), as_doubles(m_.value(n.inputs[2]))};
  }

  // affine2(affine1(x)) = x * (s1 s2) + (b1 s2 + b2).
  void merge_affines() {
    for (Node& n : m_.nodes) {
      if (dead_.count(&n) || n.op != kAffine) continue;
      Node* next = sole_consumer(n.outputs[0]);
      while (next && next->op == kAffine) {
        auto [s1, b1] = affine_of(n);
        auto [s2, b2] = affine_of(*next);
        for (std::size_t c = 0; c < s1.size(); ++c) {
          b1[c] = b1[c] * s2[c] + b2[c];
          s1[c] *= s2[c];
        }
        m_.values[n.inputs[1]] = make_constant(DataType::float32, {static_cast<std::int64_t>(s1.size())}, s1);
        m_.values[n.inputs[2]] = make_constant(DataType::float32, {static_cast<std::int64_t>(b1.size())}, b1);
        dead_.insert(next);
        n.outputs[0] = next->outputs[0];  // the merged map writes what the last one wrote
        next = sole_consumer(n.outputs[0]);
      }
    }
  }

  // Conv (weights [O, I/g, kh, kw]) or Gemm (B [K, N], or [N, K] with transB) followed by an
  // affine map: scale the weights of output channel o, and the bias.
  void fold_affines() {
    for (Node& n : m_.nodes) {
      if (dead_.count(&n) || n.op != kAffine) continue;
      Node* p = producer(n.inputs[0]);
      if (!p || (p->op != "Conv" && p->op != "Gemm") || sole_consumer(p->outputs[0]) != &n) continue;
      if (p->inputs.size() < 2 || !m_.is_constant(p->inputs[1])) continue;
      if (p->inputs.size() > 2 && !p->inputs[2].empty() && !m_.is_constant(p->inputs[2])) continue;
      const bool gemm = p->op == "Gemm";
      if (gemm && (p->int_or("transA", 0) != 0 || p->float_or("alpha", 1.0) != 1.0 || p->float_or("beta", 1.0) != 1.0))
        continue;
      const Value& w = m_.value(p->inputs[1]);
      if (w.type != DataType::float32) continue;
      const auto [scale, shift] = affine_of(n);
      const auto channels = static_cast<std::int64_t>(scale.size());
      const bool trans_b = gemm && p->int_or("transB", 0) != 0;
      const std::int64_t out_axis = gemm && !trans_b ? 1 : 0;
      if (w.shape.size() < 2 || w.shape[static_cast<std::size_t>(out_axis)] != channels) continue;
      std::vector<double> weights = as_doubles(w);
      const std::int64_t total = element_count(w.shape);
      const std::int64_t per_channel = total / channels;
      for (std::int64_t i = 0; i < total; ++i) {
        const std::int64_t o = out_axis == 0 ? i / per_channel : i % channels;
        weights[static_cast<std::size_t>(i)] *= scale[static_cast<std::size_t>(o)];
      }
      std::vector<double> bias(static_cast<std::size_t>(channels), 0.0);
      if (p->inputs.size() > 2 && !p->inputs[2].empty()) {
        const std::vector<double> old = as_doubles(m_.value(p->inputs[2]));
        if (old.size() == bias.size())
          bias = old;
        else if (old.size() == 1)
          std::fill(bias.begin(), bias.end(), old[0]);
        else
          continue;
      }
      for (std::size_t c = 0; c < bias.size(); ++c) bias[c] = bias[c] * scale[c] + shift[c];
      p->inputs.resize(3);
      p->inputs[1] = new_constant(p->inputs[1] + "/folded", make_constant(DataType::float32, w.shape, weights));
      p->inputs[2] = new_constant(p->outputs[0] + "/folded_bias", make_constant(DataType::float32, {channels}, bias));
      dead_.insert(&n);
      p->outputs[0] = n.outputs[0];  // the producer now writes what the affine map wrote
    }
  }

  void compact() {
    std::vector<Node> kept;
    for (Node& n : m_.nodes)
      if (!dead_.count(&n)) kept.push_back(std::move(n));
    m_.nodes = std::move(kept);
  }

  Model& m_;
  std::set<const Node*> dead_;
  std::int64_t folded_ = 0;  // bytes of constants computed so far
};

}  // namespace

void fold(Model& model) { Folder(model).run(); }

}  // namespace arenaplan::onnx_import
