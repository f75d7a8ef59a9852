#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/limits.h"
#include "arenaplan/problem.h"
#include "problem/name_index.h"
#include "problem/overlap.h"

namespace arenaplan {
namespace {

constexpr std::array<std::pair<BufferKind, std::string_view>, 6> kBufferKinds{{
    {BufferKind::activation, "activation"},
    {BufferKind::scratch, "scratch"},
    {BufferKind::input, "input"},
    {BufferKind::output, "output"},
    {BufferKind::constant, "constant"},
    {BufferKind::variable, "variable"},
}};

constexpr std::array<std::pair<PoolKind, std::string_view>, 3> kPoolKinds{{
    {PoolKind::workspace, "workspace"},
    {PoolKind::constant, "constant"},
    {PoolKind::persistent, "persistent"},
}};

// Sizes, offsets and alignments above this are rejected, so that sums of a few of them never
// overflow 64 bits.
constexpr Bytes kMaxBytes = Bytes{1} << 60;

}  // namespace

std::string_view to_string(BufferKind kind) {
  for (const auto& [k, name] : kBufferKinds)
    if (k == kind) return name;
  return "?";
}

std::string_view to_string(PoolKind kind) {
  for (const auto& [k, name] : kPoolKinds)
    if (k == kind) return name;
  return "?";
}

std::optional<BufferKind> parse_buffer_kind(std::string_view text) {
  for (const auto& [k, name] : kBufferKinds)
    if (name == text) return k;
  // Aliases used by TVM's buffer-info dumps.
  if (text == "workspace" || text == "intermediate") return BufferKind::activation;
  return std::nullopt;
}

std::optional<PoolKind> parse_pool_kind(std::string_view text) {
  for (const auto& [k, name] : kPoolKinds)
    if (name == text) return k;
  return std::nullopt;
}

bool Problem::has_overlaps() const {
  return std::any_of(buffers.begin(), buffers.end(), [](const Buffer& b) { return !b.overlaps.empty(); });
}

bool Problem::interval_only() const {
  return std::all_of(buffers.begin(), buffers.end(), [](const Buffer& b) { return b.conflicts.empty(); });
}

std::optional<std::int32_t> Problem::find_pool(std::string_view name) const {
  for (std::size_t i = 0; i < pools.size(); ++i)
    if (pools[i].name == name) return static_cast<std::int32_t>(i);
  return std::nullopt;
}

bool live_ranges_overlap(const Buffer& a, const Buffer& b) {
  // Both lists are sorted and disjoint after normalise(): a merge walk.
  std::size_t i = 0, j = 0;
  while (i < a.live.size() && j < b.live.size()) {
    if (a.live[i].first < b.live[j].last && b.live[j].first < a.live[i].last) return true;
    if (a.live[i].last <= b.live[j].last)
      ++i;
    else
      ++j;
  }
  return false;
}

NormaliseReport normalise(Problem& problem, std::string_view source, const InputLimits& limits) {
  auto fail = [&](const std::string& what, Remedy remedy = Remedy::none) {
    throw InputError(fmt::format("{}: {}", source, what), remedy);
  };
  const auto pool_count = static_cast<std::int64_t>(problem.pools.size());
  const auto buffer_count = static_cast<std::int64_t>(problem.buffers.size());
  if (buffer_count > std::min<std::int64_t>(limits.max_buffers, 0x7ffffff0))
    fail(fmt::format("{} buffers exceed the limit of {}", buffer_count, limits.max_buffers), Remedy::raise_max_buffers);
  Bytes total_size = 0;

  NameIndex pool_names(problem.pools.size());
  for (const Pool& pool : problem.pools) {
    if (pool.name.empty()) fail("a pool has an empty name");
    if (pool_names.insert(pool.name, 0)) fail(fmt::format("pool '{}' is defined twice", pool.name));
    if (pool.limit && (*pool.limit < 0 || *pool.limit > kMaxBytes))
      fail(fmt::format("pool '{}': size limit {} is out of range [0, 2^60]", pool.name, *pool.limit));
    if (!is_power_of_two(pool.alignment) || pool.alignment > (Bytes{1} << 32))
      fail(fmt::format("pool '{}': alignment {} must be a power of two up to 2^32", pool.name, pool.alignment));
  }

  NameIndex names(problem.buffers.size());
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    Buffer& b = problem.buffers[i];
    if (i + 16 < problem.buffers.size()) names.prefetch(problem.buffers[i + 16].name);
    if (b.name.empty()) fail("a buffer has an empty name");
    if (names.insert(b.name, 0)) fail(fmt::format("buffer '{}' is defined twice", b.name));
    if (b.size < 0 || b.size > kMaxBytes)
      fail(fmt::format("buffer '{}': size {} is out of range [0, 2^60]", b.name, b.size));
    total_size += b.size;  // at most 2^31 sizes of at most 2^60: no overflow before the check
    if (total_size > std::min(limits.max_total_bytes, Bytes{1} << 62))
      fail(fmt::format("the buffers' sizes add up to more than the limit of {} bytes", limits.max_total_bytes),
           Remedy::raise_max_total_bytes);
    if (!is_power_of_two(b.alignment) || b.alignment > (Bytes{1} << 32))
      fail(fmt::format("buffer '{}': alignment {} must be a power of two up to 2^32", b.name, b.alignment));
    if (b.pools.empty())
      fail(fmt::format("buffer '{}' has no candidate pool (list one in its pool_candidates, or leave the field out)",
                       b.name));
    for (std::size_t k = 0; k < b.pools.size(); ++k) {
      const std::int32_t p = b.pools[k];
      if (p < 0 || p >= pool_count) fail(fmt::format("buffer '{}': candidate pool index {} does not exist", b.name, p));
      // A linear scan, not a set: candidate lists are short, and a set per buffer was a
      // million allocations.
      if (std::find(b.pools.begin(), b.pools.begin() + static_cast<std::ptrdiff_t>(k), p) !=
          b.pools.begin() + static_cast<std::ptrdiff_t>(k))
        fail(fmt::format("buffer '{}': pool '{}' is listed twice", b.name, problem.pools[p].name));
      if (problem.pools[p].read_only() && b.kind != BufferKind::constant)
        fail(fmt::format("{} buffer '{}' lists read-only pool '{}' as a candidate; only constants may go there",
                         to_string(b.kind), b.name, problem.pools[p].name));
    }
    for (const Interval& r : b.live) {
      if (r.first >= r.last)
        fail(fmt::format("buffer '{}': live range [{}, {}) is empty or reversed", b.name, r.first, r.last));
      if (r.first < 0 || r.last > limits.max_step)
        fail(fmt::format("buffer '{}': live range [{}, {}) is outside the timeline [0, {}]", b.name, r.first, r.last,
                         limits.max_step),
             Remedy::raise_max_step);
    }
    std::sort(b.live.begin(), b.live.end(), [](const Interval& x, const Interval& y) {
      return x.first < y.first || (x.first == y.first && x.last < y.last);
    });
    std::size_t kept = 0;  // merged in place
    for (std::size_t r = 0; r < b.live.size(); ++r) {
      if (kept > 0 && b.live[r].first <= b.live[kept - 1].last)
        b.live[kept - 1].last = std::max(b.live[kept - 1].last, b.live[r].last);
      else
        b.live[kept++] = b.live[r];
    }
    b.live.resize(kept);
    if (b.fixed_offset) {
      if (*b.fixed_offset < 0 || *b.fixed_offset > kMaxBytes)
        fail(fmt::format("buffer '{}': fixed offset {} is out of range", b.name, *b.fixed_offset));
      if (*b.fixed_offset % b.alignment != 0)
        fail(fmt::format("buffer '{}': fixed offset {} is not a multiple of its alignment {}", b.name, *b.fixed_offset,
                         b.alignment));
    }
  }

  // Conflicts: symmetric, sorted, unique, no self-loops.
  NormaliseReport report;
  std::vector<std::pair<std::int32_t, std::int32_t>> directed;
  for (std::int64_t i = 0; i < buffer_count; ++i) {
    for (std::int32_t j : problem.buffers[i].conflicts) {
      if (j < 0 || j >= buffer_count)
        fail(fmt::format("buffer '{}': conflict index {} does not exist", problem.buffers[i].name, j));
      if (j == i) {
        ++report.self_conflicts_dropped;
        continue;
      }
      directed.emplace_back(static_cast<std::int32_t>(i), j);
    }
    problem.buffers[i].conflicts.clear();
  }
  std::sort(directed.begin(), directed.end());
  const std::size_t before = directed.size();
  directed.erase(std::unique(directed.begin(), directed.end()), directed.end());
  report.duplicate_edges_dropped = static_cast<std::int64_t>(before - directed.size());
  for (const auto& [i, j] : directed) {
    problem.buffers[i].conflicts.push_back(j);
    if (!std::binary_search(directed.begin(), directed.end(), std::make_pair(j, i))) {
      ++report.asymmetric_edges_added;
      problem.buffers[j].conflicts.push_back(i);
    }
  }
  for (Buffer& b : problem.buffers) {
    std::sort(b.conflicts.begin(), b.conflicts.end());
    b.conflicts.erase(std::unique(b.conflicts.begin(), b.conflicts.end()), b.conflicts.end());
  }
  normalise_overlaps(problem, source);
  return report;
}

}  // namespace arenaplan
