// The typed description of every graph input and output in <name>.h: a C typedef of its
// element, rank, dimensions, element count and quantization, so firmware can fill an image or
// read a score without opening the model in another tool.
#include <fmt/format.h>

#include "emit/c_names.h"

namespace arenaplan::c_out {
namespace {

// The C type of one element. Types C has no name for are carried as their raw bits.
std::string c_element_type(DataType type) {
  switch (type) {
    case DataType::float32: return "float";
    case DataType::float64: return "double";
    case DataType::int8: return "int8_t";
    case DataType::int16: return "int16_t";
    case DataType::int32: return "int32_t";
    case DataType::int64: return "int64_t";
    case DataType::uint8: return "uint8_t";
    case DataType::uint16: return "uint16_t";
    case DataType::uint32: return "uint32_t";
    case DataType::uint64: return "uint64_t";
    case DataType::boolean: return "uint8_t";    // one byte, 0 or 1
    case DataType::float16: return "uint16_t";   // IEEE half, raw bits
    case DataType::bfloat16: return "uint16_t";  // raw bits
    default: return "uint8_t";                   // packed or variable: raw bytes
  }
}

std::string float_literal(float value) { return fmt::format("{:.9g}f", value); }  // round-trips a float

template <typename T, typename F>
std::string initialiser(const std::vector<T>& values, F format) {
  std::string out;
  for (const T& v : values) out += (out.empty() ? "" : ", ") + format(v);
  return "{" + out + "}";
}

std::string describe(const Graph& graph, const Layout& l, const IoTensor& x, const char* what, std::size_t index) {
  const Tensor& t = graph.tensors[static_cast<std::size_t>(x.tensor)];
  const std::string m = fmt::format("{}_{}_{}", l.macro, upper(what), x.macro);
  std::string shape;
  for (std::int64_t d : t.shape) shape += fmt::format("{}{}", shape.empty() ? "" : ", ", d);
  std::string h = fmt::format("/* {} {} '{}' (tensor {}): {} [{}], {} bytes", what, index, comment_text(t.name),
                              x.tensor, to_string(t.type), shape, t.bytes);
  const Quantization& q = t.quantization;
  if (!q.empty()) h += ", real = scale * (q - zero_point)";
  h += ". */\n";
  h += fmt::format("typedef {} {}_{}_{}_t;\n", c_element_type(t.type), l.prefix, what, x.member);
  h += fmt::format("#define {}_RANK {}\n", m, t.shape.size());
  h += fmt::format("#define {}_DIMS {}\n", m, t.shape.empty() ? std::string("{1}") : "{" + shape + "}");
  for (std::size_t d = 0; d < t.shape.size(); ++d) h += fmt::format("#define {}_DIM_{} {}\n", m, d, t.shape[d]);
  h += fmt::format("#define {}_ELEMENTS {}\n", m, t.elements());
  h += fmt::format("#define {}_QUANTIZED {}\n", m, q.empty() ? 0 : 1);
  if (q.scale.size() == 1 && q.zero_point.size() <= 1) {
    h += fmt::format("#define {}_SCALE {}\n", m, float_literal(q.scale[0]));
    h += fmt::format("#define {}_ZERO_POINT ({})\n", m, q.zero_point.empty() ? 0 : q.zero_point[0]);
  } else if (!q.empty()) {  // per channel along QUANT_AXIS
    h += fmt::format("#define {}_QUANT_AXIS {}\n#define {}_QUANT_CHANNELS {}\n", m, q.axis, m, q.scale.size());
    h += fmt::format("#define {}_SCALES {}\n", m, initialiser(q.scale, float_literal));
    h += fmt::format("#define {}_ZERO_POINTS {}\n", m,
                     initialiser(q.zero_point, [](std::int64_t z) { return std::to_string(z); }));
  }
  return h;
}

}  // namespace

std::string io_descriptions(const Graph& graph, const Layout& l) {
  std::string h = fmt::format(
      "/* Inputs and outputs: element type ({}_input_<member>_t), rank, dimensions, elements, bytes, and\n"
      " * quantization. A quantized value q means scale * (q - zero_point); per-channel tensors give one\n"
      " * scale and zero point per slice along QUANT_AXIS. */\n",
      l.prefix);
  for (std::size_t i = 0; i < l.inputs.size(); ++i) h += describe(graph, l, l.inputs[i], "input", i);
  for (std::size_t i = 0; i < l.outputs.size(); ++i) h += describe(graph, l, l.outputs[i], "output", i);
  return h;
}

}  // namespace arenaplan::c_out
