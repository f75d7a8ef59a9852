// Constant contents of ONNX values as numbers and back, and the Model's lookups and messages.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "importers/onnx/onnx_internal.h"

namespace arenaplan::onnx_import {
namespace {

template <typename T>
void read_all(const std::vector<std::uint8_t>& data, std::vector<double>& out) {
  const std::size_t n = data.size() / sizeof(T);
  for (std::size_t i = 0; i < n; ++i) {
    T x;
    std::memcpy(&x, data.data() + i * sizeof(T), sizeof(T));
    out.push_back(static_cast<double>(x));
  }
}

// A folded number in T without undefined behaviour: integers wrap modulo 2^bits (as C++20's
// narrowing conversions do) from the value truncated and clamped to int64, NaN is 0; floating
// values beyond T's range saturate to its largest finite magnitude.
template <typename T>
T converted(double v) {
  if constexpr (std::is_floating_point_v<T>) {
    const double max = static_cast<double>(std::numeric_limits<T>::max());
    return std::isnan(v) ? static_cast<T>(v) : static_cast<T>(std::clamp(v, -max, max));
  } else {
    if (std::isnan(v)) return T{0};
    const double limit = 9.2233720368547748e18;  // 2^63
    const std::int64_t whole = v >= limit    ? std::numeric_limits<std::int64_t>::max()
                               : v <= -limit ? std::numeric_limits<std::int64_t>::min()
                                             : static_cast<std::int64_t>(v);
    if constexpr (std::is_same_v<T, bool>) return whole != 0;
    return static_cast<T>(whole);
  }
}

template <typename T>
void write_all(const std::vector<double>& numbers, std::vector<std::uint8_t>& out) {
  out.resize(numbers.size() * sizeof(T));
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    const T x = converted<T>(numbers[i]);
    std::memcpy(out.data() + i * sizeof(T), &x, sizeof(T));
  }
}

}  // namespace

std::int64_t element_count(const std::vector<std::int64_t>& shape) {
  std::int64_t n = 1;
  for (std::int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(n, d, &n)) return -1;
  return n;
}

std::size_t element_size(DataType type) {
  switch (type) {
    case DataType::int8:
    case DataType::uint8:
    case DataType::boolean: return 1;
    case DataType::int16:
    case DataType::uint16:
    case DataType::float16:
    case DataType::bfloat16: return 2;
    case DataType::int32:
    case DataType::uint32:
    case DataType::float32: return 4;
    case DataType::int64:
    case DataType::uint64:
    case DataType::float64: return 8;
    default: return 0;
  }
}

std::vector<double> as_doubles(const Value& v) {
  std::vector<double> out;
  if (!v.data) return out;
  const auto& d = *v.data;
  switch (v.type) {
    case DataType::float32: read_all<float>(d, out); break;
    case DataType::float64: read_all<double>(d, out); break;
    case DataType::int8: read_all<std::int8_t>(d, out); break;
    case DataType::uint8:
    case DataType::boolean: read_all<std::uint8_t>(d, out); break;
    case DataType::int16: read_all<std::int16_t>(d, out); break;
    case DataType::uint16: read_all<std::uint16_t>(d, out); break;
    case DataType::int32: read_all<std::int32_t>(d, out); break;
    case DataType::uint32: read_all<std::uint32_t>(d, out); break;
    case DataType::int64: read_all<std::int64_t>(d, out); break;
    case DataType::uint64: read_all<std::uint64_t>(d, out); break;
    default: break;
  }
  return out;
}

std::vector<std::int64_t> as_ints(const Value& v) {
  if (v.type == DataType::int64 && v.data) {
    std::vector<std::int64_t> out(v.data->size() / 8);
    if (!out.empty()) std::memcpy(out.data(), v.data->data(), out.size() * 8);
    return out;
  }
  std::vector<std::int64_t> out;
  for (double x : as_doubles(v)) out.push_back(converted<std::int64_t>(x));  // saturating, no UB
  return out;
}

Value make_constant(DataType type, std::vector<std::int64_t> shape, const std::vector<double>& numbers) {
  Value v;
  v.type = type;
  v.shape = std::move(shape);
  v.known = true;
  std::vector<std::uint8_t> data;
  switch (type) {
    case DataType::float32: write_all<float>(numbers, data); break;
    case DataType::float64: write_all<double>(numbers, data); break;
    case DataType::int8: write_all<std::int8_t>(numbers, data); break;
    case DataType::uint8:
    case DataType::boolean: write_all<std::uint8_t>(numbers, data); break;
    case DataType::int16: write_all<std::int16_t>(numbers, data); break;
    case DataType::uint16: write_all<std::uint16_t>(numbers, data); break;
    case DataType::int32: write_all<std::int32_t>(numbers, data); break;
    case DataType::uint32: write_all<std::uint32_t>(numbers, data); break;
    case DataType::int64: write_all<std::int64_t>(numbers, data); break;
    case DataType::uint64: write_all<std::uint64_t>(numbers, data); break;
    default: break;
  }
  v.data = std::move(data);
  return v;
}

std::vector<std::uint8_t> permute(const std::vector<std::uint8_t>& data, std::size_t element,
                                  const std::vector<std::int64_t>& shape, const std::vector<std::int64_t>& perm) {
  const std::size_t rank = shape.size();
  std::vector<std::int64_t> in_stride(rank, 1);
  for (std::size_t d = rank; d-- > 1;) in_stride[d - 1] = in_stride[d] * shape[d];
  std::vector<std::int64_t> out_shape(rank);
  for (std::size_t d = 0; d < rank; ++d) out_shape[d] = shape[static_cast<std::size_t>(perm[d])];
  std::vector<std::uint8_t> out(data.size());
  const std::int64_t count = element_count(shape);
  std::vector<std::int64_t> index(rank, 0);  // over the output
  for (std::int64_t o = 0; o < count; ++o) {
    std::int64_t source = 0;
    for (std::size_t d = 0; d < rank; ++d) source += index[d] * in_stride[static_cast<std::size_t>(perm[d])];
    std::memcpy(out.data() + static_cast<std::size_t>(o) * element,
                data.data() + static_cast<std::size_t>(source) * element, element);
    for (std::size_t d = rank; d-- > 0;) {
      if (++index[d] < out_shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

const Attribute* Node::attribute(std::string_view key) const {
  const auto it = attributes.find(key);
  return it == attributes.end() ? nullptr : &it->second;
}
std::int64_t Node::int_or(std::string_view key, std::int64_t fallback) const {
  const Attribute* a = attribute(key);
  return a ? a->i : fallback;
}
double Node::float_or(std::string_view key, double fallback) const {
  const Attribute* a = attribute(key);
  return a ? a->f : fallback;
}
std::vector<std::int64_t> Node::ints_or(std::string_view key, std::vector<std::int64_t> fallback) const {
  const Attribute* a = attribute(key);
  return a ? a->ints : fallback;
}
std::string Node::string_or(std::string_view key, std::string fallback) const {
  const Attribute* a = attribute(key);
  return a ? a->s : fallback;
}

void Model::fail(const std::string& problem) const { throw InputError(fmt::format("{}: {}", source, problem)); }

std::string Model::describe(const Node& node) const {
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (&nodes[i] == &node)
      return node.name.empty() ? fmt::format("node {} ({})", i, node.op)
                               : fmt::format("node {} ({} '{}')", i, node.op, node.name);
  return node.name.empty() ? fmt::format("node ({})", node.op) : fmt::format("node ({} '{}')", node.op, node.name);
}

const Value& Model::value(const std::string& name) const {
  const auto it = values.find(name);
  if (it == values.end()) fail(fmt::format("value '{}' is used but never defined", name));
  return it->second;
}

bool Model::is_constant(const std::string& name) const {
  const auto it = values.find(name);
  return it != values.end() && it->second.data.has_value();
}

}  // namespace arenaplan::onnx_import
