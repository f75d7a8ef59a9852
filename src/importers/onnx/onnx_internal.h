// Shared between the ONNX importer's files: the model as plain values and nodes after parsing and
// shape inference (only onnx_proto.cpp sees protobuf), the folding passes and the lowering.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arenaplan/graph.h"
#include "arenaplan/onnx.h"

namespace arenaplan::onnx_import {

// An ONNX value (graph input, initializer, node output) with its inferred type and shape.
struct Value {
  DataType type = DataType::float32;
  std::vector<std::int64_t> shape;
  bool known = false;                             // type and a static shape known
  std::optional<std::vector<std::uint8_t>> data;  // a constant's contents, little-endian
};

struct Attribute {
  std::int64_t i = 0;
  double f = 0.0;
  std::string s;
  std::vector<std::int64_t> ints;
  std::vector<double> floats;
  std::optional<Value> tensor;
};

struct Node {
  std::string op;
  std::string name;                  // may be empty
  std::vector<std::string> inputs;   // "" marks an omitted optional input
  std::vector<std::string> outputs;  // "" marks an unused optional output
  std::map<std::string, Attribute, std::less<>> attributes;

  const Attribute* attribute(std::string_view key) const;
  std::int64_t int_or(std::string_view key, std::int64_t fallback) const;
  double float_or(std::string_view key, double fallback) const;
  std::vector<std::int64_t> ints_or(std::string_view key, std::vector<std::int64_t> fallback) const;
  std::string string_or(std::string_view key, std::string fallback) const;
};

struct Model {
  std::string source;
  std::int64_t opset = 0;  // of the default domain
  std::map<std::string, Value, std::less<>> values;
  std::vector<Node> nodes;  // in file order (topological, as ONNX requires)
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::int64_t max_folded_bytes = 0;  // OnnxOptions::max_folded_bytes

  [[noreturn]] void fail(const std::string& problem) const;
  // "node 3 (Conv 'conv1')" for messages.
  std::string describe(const Node& node) const;
  const Value& value(const std::string& name) const;
  bool is_constant(const std::string& name) const;
};

// onnx_proto.cpp: parses, checks and shape-infers the protobuf.
Model read_proto(std::span<const std::uint8_t> bytes, std::string_view source, const OnnxOptions& options);

// onnx_values.cpp: constant contents as numbers, and back.
std::int64_t element_count(const std::vector<std::int64_t>& shape);
std::vector<double> as_doubles(const Value& v);
std::vector<std::int64_t> as_ints(const Value& v);
Value make_constant(DataType type, std::vector<std::int64_t> shape, const std::vector<double>& numbers);
std::size_t element_size(DataType type);
// Permutes constant data laid out in `shape` to out[i...] = in[perm applied], as Transpose does.
std::vector<std::uint8_t> permute(const std::vector<std::uint8_t>& data, std::size_t element,
                                  const std::vector<std::int64_t>& shape, const std::vector<std::int64_t>& perm);

// onnx_fold.cpp: folds constant subgraphs, removes Dropout/Identity, folds BatchNormalization and
// per-channel Mul/Add/Sub into the preceding Conv/Gemm (MatMul with constant weights becomes Gemm).
void fold(Model& model);

// onnx_lower.cpp: the NHWC Graph of TFLite-style operators.
Graph lower(const Model& model);

}  // namespace arenaplan::onnx_import
