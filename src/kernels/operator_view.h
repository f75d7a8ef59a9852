// Checked access to an operator's operands, for kernel rules: dimensions, types, padding.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "arenaplan/graph.h"
#include "arenaplan/kernels.h"

namespace arenaplan::kernels {

class OperatorView {
 public:
  OperatorView(const Graph& graph, std::size_t index);

  const Operator& op() const { return *op_; }
  std::size_t index() const { return index_; }
  bool has_input(std::size_t i) const;
  // Throw InputError naming the operator when the operand is missing.
  const Tensor& input(std::size_t i) const;
  const Tensor& output(std::size_t i) const;
  // Dimension `d` of a tensor; negative d counts from the end. Throws when out of range.
  std::int64_t dim(const Tensor& t, int d) const;
  std::int64_t attribute(std::string_view key, std::int64_t fallback) const { return op_->attribute_or(key, fallback); }
  std::size_t input_count() const { return op_->inputs.size(); }
  std::size_t output_count() const { return op_->outputs.size(); }
  // The values of a constant int16, int32 or int64 input (paddings, axes, begin/end); nothing when the
  // input is not a constant of those types. Throws when its stored data is too short.
  std::optional<std::vector<std::int64_t>> constant_ints(std::size_t i) const;

  // TFLite's padding rule (ComputePaddingHeightWidth): the padding before the first element
  // for one spatial dimension of a conv or pool with SAME or VALID padding.
  std::int64_t padding(std::int64_t in, std::int64_t filter, std::int64_t stride, std::int64_t dilation) const;
  // The same for rows (`rows`) or columns, honouring explicit padding (a folded PAD): its pad_top
  // or pad_left, checked against the output size.
  std::int64_t padding_before(bool rows, std::int64_t in, std::int64_t out, std::int64_t filter, std::int64_t stride,
                              std::int64_t dilation) const;

  [[noreturn]] void fail(std::string_view problem) const;

 private:
  const Graph* graph_;
  const Operator* op_;
  std::size_t index_;
};

// a * b * ... with an InputError on overflow (sizes come from untrusted files).
Bytes checked_product(const OperatorView& view, std::initializer_list<std::int64_t> factors);

// Bytes of one element of the tensor's type (1 for packed sub-byte types).
std::int64_t element_size(DataType type);

// One stage, no scratch: what most kernels need.
OperatorMemory no_scratch(std::string_view kernel);

}  // namespace arenaplan::kernels
