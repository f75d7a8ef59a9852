// Pieces of an operator's kernel call shared by the C emitters of the operators
// (c_operators.cpp, c_generic_operators.cpp): operand pointers, exact literals, checked narrowing,
// designated initialisers.
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "emit/c_operators.h"
#include "kernels/operator_view.h"

namespace arenaplan::c_out {

using kernels::OperatorView;

inline std::string real(float value) { return fmt::format("{:a}f", value); }  // exact hexadecimal float

// Pool bytes as a typed pointer. Through void*: the plan aligns every buffer for its type, and
// a direct uint8_t* cast would trip -Wcast-align on Cortex-M.
inline std::string typed(const char* type, const std::string& pointer) {
  return fmt::format("({}*)(void*)({})", type, pointer);
}
inline std::string in(const OperandPointers& p, std::size_t i, const char* type) {
  return p.inputs.at(i) == "0" ? std::string("0") : fmt::format("(const {}*)(const void*)({})", type, p.inputs.at(i));
}
inline std::string out(const OperandPointers& p, const char* type) { return typed(type, p.outputs.at(0)); }

inline std::int32_t narrow(const OperatorView& v, std::int64_t value, const char* what) {
  if (value < INT32_MIN || value > INT32_MAX)
    v.fail(fmt::format("{} {} does not fit the kernel's 32-bit parameters", what, value));
  return static_cast<std::int32_t>(value);
}

inline float scale_of(const Tensor& t, std::size_t channel = 0) {
  return t.quantization.scale.size() == 1 ? t.quantization.scale[0] : t.quantization.scale.at(channel);
}
inline std::int32_t zero_point(const Tensor& t) { return static_cast<std::int32_t>(t.quantization.zero_point.at(0)); }

// One member of a C99 designated initialiser: `.name = value`.
struct Field {
  Field(std::string_view n, std::string v) : name(n), value(std::move(v)) {}
  Field(std::string_view n, std::int64_t v) : name(n), value(fmt::to_string(v)) {}
  std::string_view name;
  std::string value;
};

// `static const TYPE NAME = {.a = 1, .b = 2};`, one member per line when that is too long.
inline std::string initialiser(std::string_view type, const std::string& name, const std::vector<Field>& fields) {
  std::vector<std::string> members;
  for (const Field& f : fields) members.push_back(fmt::format(".{} = {}", f.name, f.value));
  std::string line = fmt::format("static const {} {} = {{{}}};\n", type, name, fmt::join(members, ", "));
  if (line.size() <= 121) return line;
  return fmt::format("static const {} {} = {{\n    {}}};\n", type, name, fmt::join(members, ",\n    "));
}

}  // namespace arenaplan::c_out
