// The Graph: a model's tensors and operators, independent of the file format it came from.
// Importers (TFLite today) build one; lowering turns it into a Problem. A Graph knows nothing
// about kernels, lifetimes or algorithms.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arenaplan/problem.h"

namespace arenaplan {

enum class DataType {
  float32,
  float16,
  bfloat16,
  float64,
  float8_e4m3fn,
  float8_e5m2,
  int2,
  int4,
  int8,
  int16,
  int32,
  int64,
  uint4,
  uint8,
  uint16,
  uint32,
  uint64,
  boolean,
  complex64,
  complex128,
  string,
  resource,
  variant,
};

std::string_view to_string(DataType type);
// Bytes of `elements` values of `type` (int4 and int2 are packed). Nothing for types without a
// fixed size (string, resource, variant). Throws InputError (naming `what`) on overflow.
std::optional<Bytes> data_bytes(DataType type, std::int64_t elements, std::string_view what);

// Affine quantization of a tensor: real = scale * (q - zero_point). One scale per tensor, or one
// per slice along `axis` (per-channel weights). Empty: not quantized.
struct Quantization {
  std::vector<float> scale;
  std::vector<std::int64_t> zero_point;
  std::int32_t axis = 0;
  bool empty() const { return scale.empty(); }
};

struct Tensor {
  std::string name;
  DataType type = DataType::float32;
  std::vector<std::int64_t> shape;    // [] is a scalar
  Bytes bytes = 0;                    // product of the shape times the element size
  bool is_constant = false;           // data stored in the model (weights, biases, tables)
  bool is_variable = false;           // state kept between invocations (RNN/SVDF state)
  bool is_input = false;              // graph input
  bool is_output = false;             // graph output
  std::int64_t constant_buffer = -1;  // for constants: which stored buffer holds the data
  Quantization quantization;

  std::int64_t elements() const;
};

struct Operator {
  std::string opcode;  // builtin name ("CONV_2D") or the custom op's name ("SignalRfft")
  bool custom = false;
  std::int32_t version = 1;
  std::vector<std::int32_t> inputs;         // tensor indices; -1 marks an omitted optional input
  std::vector<std::int32_t> outputs;        // tensor indices
  std::vector<std::int32_t> intermediates;  // tensors internal to the operator (may be empty)
  // Operator options as named integers (strides, padding, rank, fft_length, ...). Enumerated
  // options carry the format's enum value; `padding` is 0 = SAME, 1 = VALID.
  std::map<std::string, std::int64_t, std::less<>> attributes;
  // Real-valued options (SOFTMAX beta, ...).
  std::map<std::string, double, std::less<>> real_attributes;

  std::optional<std::int64_t> attribute(std::string_view key) const;
  std::int64_t attribute_or(std::string_view key, std::int64_t fallback) const;
};

struct Graph {
  std::string source;  // file name, for messages
  std::vector<Tensor> tensors;
  std::vector<Operator> operators;  // in execution order
  std::vector<std::int32_t> inputs;
  std::vector<std::int32_t> outputs;
  // The bytes of stored constant data, indexed by Tensor::constant_buffer (empty where no
  // constant tensor refers to the stored buffer). Emitters put them into constant pools.
  std::vector<std::vector<std::uint8_t>> constant_data;

  // The operator that writes each tensor (-1: none), and the operators that read it, in order.
  std::vector<std::int32_t> producers() const;
  std::vector<std::vector<std::int32_t>> consumers() const;
  // "operator 3 (CONV_2D)" — for messages.
  std::string describe_operator(std::size_t index) const;
};

// Throws InputError ("FILE: problem", naming the operator and tensor) unless the graph is a program
// that can run: at least one operator, at most one producer per tensor (never a constant or a
// graph input), every operator input written by an earlier operator or present before the first
// one (graph input, constant, variable), every graph output written or a graph input or constant,
// and every operator's parameters valid (what 32-bit kernels compute without overflow). Importers
// call it.
void validate_graph(const Graph& graph);

// Padding values stored in Operator::attributes["padding"].
inline constexpr std::int64_t kPaddingSame = 0;
inline constexpr std::int64_t kPaddingValid = 1;
// Explicit per-side padding in attributes pad_top, pad_bottom, pad_left, pad_right: never in a model
// file; the lowering writes it where a PAD is folded into a convolution (fold_pads).
inline constexpr std::int64_t kPaddingExplicit = 2;

}  // namespace arenaplan
