#include "algorithms/tvm_common.h"

#include <fmt/format.h>

namespace arenaplan::detail {

TvmView::TvmView(const Problem& p) : problem(p), conflicts(p.buffers.size()) {
  ConflictIndex index(p);
  for (std::size_t i = 0; i < p.buffers.size(); ++i) conflicts[i] = index.neighbors(static_cast<std::int32_t>(i));
}

bool tvm_size_before(const TvmView& v, std::int32_t a, std::int32_t b) {
  const Buffer& x = v.problem.buffers[a];
  const Buffer& y = v.problem.buffers[b];
  if (x.size != y.size) return x.size > y.size;
  if (v.conflicts[a].size() != v.conflicts[b].size()) return v.conflicts[a].size() > v.conflicts[b].size();
  return x.name > y.name;
}

bool tvm_conflicts_before(const TvmView& v, std::int32_t a, std::int32_t b) {
  const Buffer& x = v.problem.buffers[a];
  const Buffer& y = v.problem.buffers[b];
  if (v.conflicts[a].size() != v.conflicts[b].size()) return v.conflicts[a].size() > v.conflicts[b].size();
  if (x.size != y.size) return x.size > y.size;
  return x.name > y.name;
}

int glibc_rand_r(unsigned int* seed) {
  // Three steps of the linear congruential generator, 11 + 10 + 10 bits of output.
  unsigned int next = *seed;
  next = next * 1103515245u + 12345u;
  unsigned int result = (next / 65536u) % 2048u;
  next = next * 1103515245u + 12345u;
  result = (result << 10) ^ ((next / 65536u) % 1024u);
  next = next * 1103515245u + 12345u;
  result = (result << 10) ^ ((next / 65536u) % 1024u);
  *seed = next;
  return static_cast<int>(result);
}

std::string tvm_no_fit_message(const Problem& problem, std::int32_t buffer, Bytes excess) {
  const Buffer& b = problem.buffers[buffer];
  const Pool& pool = problem.pools[b.pools.front()];
  return fmt::format(
      "buffer '{}' ({} bytes) does not fit in any of its pools: pool '{}' (limit {} bytes) is {} bytes "
      "short (raise the limit, or another algorithm may fit)",
      b.name, b.size, pool.name, pool.limit.value_or(0), excess);
}

}  // namespace arenaplan::detail
