#include "emit/c_variables.h"

#include <fmt/format.h>

#include "emit/c_names.h"

namespace arenaplan::c_out {

bool has_variables(const Graph& graph) {
  for (const Tensor& t : graph.tensors)
    if (t.is_variable && !t.is_constant && t.bytes > 0) return true;
  return false;
}

std::vector<std::int32_t> variable_inputs(const Graph& graph, std::size_t op) {
  std::vector<std::int32_t> out;
  for (std::int32_t t : graph.operators.at(op).inputs) {
    if (t < 0) continue;
    const Tensor& tensor = graph.tensors.at(static_cast<std::size_t>(t));
    if (tensor.is_variable && !tensor.is_constant && tensor.bytes > 0) out.push_back(t);
  }
  return out;
}

std::string variable_reset_statements(const Graph& graph, const std::function<std::string(std::size_t)>& address) {
  std::string out;
  for (std::size_t i = 0; i < graph.tensors.size(); ++i) {
    const Tensor& t = graph.tensors[i];
    if (!t.is_variable || t.is_constant || t.bytes == 0) continue;
    const std::int64_t zero =
        t.type == DataType::int8 && !t.quantization.zero_point.empty() ? t.quantization.zero_point[0] : 0;
    // memset stores (unsigned char)value: the int8 zero point's own bit pattern.
    out += fmt::format("  memset({}, {}, {}u); /* '{}' */\n", address(i), zero, t.bytes, comment_text(t.name));
  }
  return out;
}

}  // namespace arenaplan::c_out
