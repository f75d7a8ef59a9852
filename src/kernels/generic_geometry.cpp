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

}  // namespace arenaplan::kernels
