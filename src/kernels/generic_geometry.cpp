#include "kernels/generic_geometry.h"

#include <fmt/format.h>

namespace arenaplan::kernels {

std::optional<TransposeGeometry> transpose_geometry(const OperatorView& v) {
  const Tensor& in = v.input(0);
  const auto shape = dims_of(in);
  const auto perm = v.constant_ints(1);
  if (!shape || !perm) return std::nullopt;
  const std::size_t rank = in.shape.size();
  if (perm->size() != rank)
    v.fail(fmt::format("permutation of {} entries for a tensor of rank {}", perm->size(), rank));
  const Tensor& out = v.output(0);
  if (out.shape.size() != rank) v.fail("output rank differs from the input's");
  TransposeGeometry g;
  g.in_shape = *shape;
  const std::size_t lead = kMaxDims - rank;
  std::array<bool, kMaxDims> seen{};
  for (std::size_t d = 0; d < lead; ++d) g.perm[d] = static_cast<std::int64_t>(d);
  for (std::size_t d = 0; d < rank; ++d) {
    std::int64_t p = (*perm)[d];
    if (p < 0) p += static_cast<std::int64_t>(rank);  // TFLite accepts negative entries
    if (p < 0 || p >= static_cast<std::int64_t>(rank) || seen[static_cast<std::size_t>(p)])
      v.fail("the permutation is not a permutation of the input's dimensions");
    seen[static_cast<std::size_t>(p)] = true;
    if (out.shape[d] != in.shape[static_cast<std::size_t>(p)]) v.fail("output shape differs from the permuted input");
    g.perm[lead + d] = p + static_cast<std::int64_t>(lead);
  }
  return g;
}

std::optional<AxisGeometry> stack_geometry(const OperatorView& v) {
  const bool pack = v.op().opcode == "PACK";
  const Tensor& whole = pack ? v.output(0) : v.input(0);
  const std::size_t parts = pack ? v.input_count() : v.output_count();
  if (whole.shape.empty() || !dims_of(whole)) return std::nullopt;
  const auto rank = static_cast<std::int64_t>(whole.shape.size());
  std::int64_t axis = v.attribute("axis", 0);
  if (axis < -rank || axis >= rank) v.fail(fmt::format("axis {} is outside a tensor of rank {}", axis, rank));
  if (axis < 0) axis += rank;
  std::vector<std::int64_t> part_shape = whole.shape;
  part_shape.erase(part_shape.begin() + axis);
  if (whole.shape[static_cast<std::size_t>(axis)] != static_cast<std::int64_t>(parts))
    v.fail(fmt::format("{} parts along an axis of {}", parts, whole.shape[static_cast<std::size_t>(axis)]));
  AxisGeometry g;
  for (std::size_t i = 0; i < parts; ++i) {
    const Tensor& part = pack ? v.input(i) : v.output(i);
    if (part.shape != part_shape)
      v.fail(fmt::format("tensor '{}' is not '{}' without axis {}", part.name, whole.name, axis));
    g.axis_sizes.push_back(1);
  }
  for (std::int64_t d = 0; d < rank; ++d) {
    if (d < axis) g.outer *= whole.shape[static_cast<std::size_t>(d)];
    if (d > axis) g.inner *= whole.shape[static_cast<std::size_t>(d)];
  }
  return g;
}

std::optional<ArgGeometry> arg_geometry(const OperatorView& v) {
  const Tensor& in = v.input(0);
  const auto axis_values = v.constant_ints(1);
  if (in.shape.empty() || !dims_of(in) || !axis_values || axis_values->size() != 1) return std::nullopt;
  const auto rank = static_cast<std::int64_t>(in.shape.size());
  std::int64_t axis = axis_values->front();
  if (axis < -rank || axis >= rank) v.fail(fmt::format("axis {} is outside a tensor of rank {}", axis, rank));
  if (axis < 0) axis += rank;
  ArgGeometry g;
  for (std::int64_t d = 0; d < rank; ++d) {
    const std::int64_t n = in.shape[static_cast<std::size_t>(d)];
    if (d < axis) g.outer *= n;
    if (d == axis) g.axis_size = n;
    if (d > axis) g.inner *= n;
  }
  if (v.output(0).elements() != g.outer * g.inner) v.fail("output size differs from the input without the axis");
  return g;
}

std::optional<SpaceBatchGeometry> space_batch_geometry(const OperatorView& v) {
  const Tensor& in = v.input(0);
  const Tensor& out = v.output(0);
  const std::size_t rank = in.shape.size();
  const auto block = v.constant_ints(1);
  const auto pads = v.constant_ints(2);
  if ((rank != 3 && rank != 4) || out.shape.size() != rank || !dims_of(in) || !dims_of(out) || !block || !pads)
    return std::nullopt;
  const std::size_t spatial = rank - 2;
  if (block->size() != spatial || pads->size() != 2 * spatial) v.fail("block shape or paddings of the wrong size");
  for (std::int64_t b : *block)
    if (b <= 0) v.fail("a block dimension below 1");
  for (std::int64_t p : *pads)
    if (p < 0) v.fail("negative paddings or crops");
  const bool to_batch = v.op().opcode == "SPACE_TO_BATCH_ND";
  SpaceBatchGeometry g;
  g.in_batch = in.shape[0];
  g.in_h = in.shape[1];
  g.in_w = rank == 4 ? in.shape[2] : 1;
  g.depth = in.shape[rank - 1];
  g.out_batch = out.shape[0];
  g.out_h = out.shape[1];
  g.out_w = rank == 4 ? out.shape[2] : 1;
  g.block_h = (*block)[0];
  g.block_w = rank == 4 ? (*block)[1] : 1;
  g.pad_top = (*pads)[0];
  g.pad_left = rank == 4 ? (*pads)[2] : 0;
  const std::int64_t after_h = (*pads)[1], after_w = rank == 4 ? (*pads)[3] : 0;
  const std::int64_t blocks = g.block_h * g.block_w;
  const bool fits = to_batch
                        ? g.out_batch == g.in_batch * blocks && g.out_h * g.block_h == g.in_h + g.pad_top + after_h &&
                              g.out_w * g.block_w == g.in_w + g.pad_left + after_w
                        : g.in_batch == g.out_batch * blocks && g.out_h == g.in_h * g.block_h - g.pad_top - after_h &&
                              g.out_w == g.in_w * g.block_w - g.pad_left - after_w;
  if (!fits || out.shape[rank - 1] != g.depth) v.fail("output shape differs from the block shape and paddings");
  return g;
}

}  // namespace arenaplan::kernels
