#include "kernels/operator_view.h"

#include <algorithm>

#include <fmt/format.h>

#include "arenaplan/error.h"

namespace arenaplan::kernels {

OperatorView::OperatorView(const Graph& graph, std::size_t index)
    : graph_(&graph), op_(&graph.operators.at(index)), index_(index) {}

void OperatorView::fail(std::string_view problem) const {
  throw InputError(fmt::format("{}: {}: {}", graph_->source, graph_->describe_operator(index_), problem));
}

bool OperatorView::has_input(std::size_t i) const { return i < op_->inputs.size() && op_->inputs[i] >= 0; }

const Tensor& OperatorView::input(std::size_t i) const {
  if (!has_input(i)) fail(fmt::format("input {} is missing", i));
  return graph_->tensors[op_->inputs[i]];
}

const Tensor& OperatorView::output(std::size_t i) const {
  if (i >= op_->outputs.size()) fail(fmt::format("output {} is missing", i));
  return graph_->tensors[op_->outputs[i]];
}

std::optional<std::vector<std::int64_t>> OperatorView::constant_ints(std::size_t i) const {
  if (!has_input(i)) return std::nullopt;
  const Tensor& t = input(i);
  if (!t.is_constant || (t.type != DataType::int16 && t.type != DataType::int32 && t.type != DataType::int64) ||
      t.constant_buffer < 0 || static_cast<std::size_t>(t.constant_buffer) >= graph_->constant_data.size())
    return std::nullopt;
  const std::vector<std::uint8_t>& data = graph_->constant_data[static_cast<std::size_t>(t.constant_buffer)];
  const std::size_t size = t.type == DataType::int16 ? 2 : (t.type == DataType::int32 ? 4 : 8);
  const auto count = static_cast<std::size_t>(t.elements());
  if (data.size() < count * size) fail(fmt::format("constant '{}' holds fewer values than its shape", t.name));
  std::vector<std::int64_t> values;
  for (std::size_t k = 0; k < count; ++k) {
    std::uint64_t raw = 0;
    for (std::size_t b = size; b-- > 0;) raw = (raw << 8) | data[k * size + b];  // little-endian
    values.push_back(size == 2   ? static_cast<std::int16_t>(static_cast<std::uint16_t>(raw))
                     : size == 4 ? static_cast<std::int32_t>(static_cast<std::uint32_t>(raw))
                                 : static_cast<std::int64_t>(raw));
  }
  return values;
}

std::int64_t OperatorView::dim(const Tensor& t, int d) const {
  const auto rank = static_cast<int>(t.shape.size());
  const int at = d < 0 ? rank + d : d;
  if (at < 0 || at >= rank)
    fail(fmt::format("tensor '{}' has rank {}, the kernel needs dimension {}", t.name, rank, d));
  return t.shape[static_cast<std::size_t>(at)];
}

std::int64_t OperatorView::padding(std::int64_t in, std::int64_t filter, std::int64_t stride,
                                   std::int64_t dilation) const {
  if (stride <= 0 || dilation <= 0) fail("stride and dilation must be positive");
  const std::int64_t effective = (filter - 1) * dilation + 1;
  const bool same = attribute("padding", kPaddingSame) == kPaddingSame;
  const std::int64_t out = same ? (in + stride - 1) / stride : (in + stride - effective) / stride;
  const std::int64_t total = (out - 1) * stride + effective - in;
  return same ? std::max<std::int64_t>(total, 0) / 2 : 0;
}

std::int64_t OperatorView::padding_before(bool rows, std::int64_t in, std::int64_t out, std::int64_t filter,
                                          std::int64_t stride, std::int64_t dilation) const {
  if (attribute("padding", kPaddingSame) != kPaddingExplicit) return padding(in, filter, stride, dilation);
  if (stride <= 0 || dilation <= 0) fail("stride and dilation must be positive");
  const std::int64_t before = attribute(rows ? "pad_top" : "pad_left", -1);
  const std::int64_t after = attribute(rows ? "pad_bottom" : "pad_right", -1);
  const std::int64_t effective = (filter - 1) * dilation + 1;
  if (before < 0 || after < 0 || in + before + after < effective ||
      out != (in + before + after - effective) / stride + 1)
    fail("explicit padding does not give the output size");
  return before;
}

Bytes checked_product(const OperatorView& view, std::initializer_list<std::int64_t> factors) {
  Bytes result = 1;
  for (std::int64_t f : factors) {
    if (f < 0) view.fail("negative dimension in a scratch-size rule");
    if (__builtin_mul_overflow(result, f, &result) || result > (Bytes{1} << 60))
      view.fail("scratch buffer size overflows 64 bits");
  }
  return result;
}

std::int64_t element_size(DataType type) { return std::max<Bytes>(1, data_bytes(type, 1, "element").value_or(1)); }

OperatorMemory no_scratch(std::string_view kernel) {
  OperatorMemory m;
  m.kernel = std::string(kernel);
  return m;
}

}  // namespace arenaplan::kernels
