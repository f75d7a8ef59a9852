// The Problem: what is to be placed (buffers) and where it may go (pools).
// Every front end (problem files, model importers) produces one; every algorithm consumes one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arenaplan/limits.h"

namespace arenaplan {

using Bytes = std::int64_t;  // sizes and offsets: 64-bit everywhere
using Step = std::int64_t;   // a point on the integer timeline

enum class BufferKind { activation, scratch, input, output, constant, variable };
enum class PoolKind { workspace, constant, persistent };

std::string_view to_string(BufferKind kind);
std::string_view to_string(PoolKind kind);
std::optional<BufferKind> parse_buffer_kind(std::string_view text);
std::optional<PoolKind> parse_pool_kind(std::string_view text);

// A half-open live range [first, last) on the timeline.
struct Interval {
  Step first = 0;
  Step last = 0;
  friend bool operator==(const Interval& a, const Interval& b) { return a.first == b.first && a.last == b.last; }
  friend bool operator!=(const Interval& a, const Interval& b) { return !(a == b); }  // C++17 users
};

struct Pool {
  std::string name;
  std::optional<Bytes> limit;  // hard size limit; none = unlimited
  Bytes alignment = 1;         // alignment of the pool's base address
  PoolKind kind = PoolKind::workspace;
  bool external = false;                              // the user passes a pointer (else the generated code owns it)
  std::optional<std::string> section = std::nullopt;  // linker section of an internal pool's array
  bool read_only() const { return kind == PoolKind::constant; }
};

// An overlap allowance (docs/overlap.md), held by the buffer Y that an operator writes: Y may
// share bytes with buffer `with` (X, read for the last time by that operator) when
// offset(Y) <= offset(X) - distance, i.e. Y starts at least `distance` bytes below X, so that in
// the kernel's loop order every byte written lands on bytes of X already read (or below X).
// Otherwise the pair must be disjoint as usual. distance = 0 is a true in-place operator. It only
// ever relaxes the pair's conflict, and only matters when both are in the same pool.
struct OverlapAllowance {
  std::int32_t with = -1;  // index of X in Problem::buffers
  Bytes distance = 0;      // >= 0
  friend bool operator==(const OverlapAllowance& a, const OverlapAllowance& b) {
    return a.with == b.with && a.distance == b.distance;
  }
  friend bool operator!=(const OverlapAllowance& a, const OverlapAllowance& b) { return !(a == b); }
};

struct Buffer {
  std::string name;
  Bytes size = 0;
  Bytes alignment = 1;
  BufferKind kind = BufferKind::activation;
  std::vector<Interval> live;              // live ranges; may be empty when conflicts are given
  std::vector<std::int32_t> conflicts;     // explicit conflicts (indices); symmetric after normalise()
  std::vector<std::int32_t> pools;         // candidate pools (indices), in priority order
  std::optional<Bytes> fixed_offset;       // pre-placed: must sit at this offset in pools[0]
  std::vector<OverlapAllowance> overlaps;  // this buffer is Y; sorted by `with` after normalise()
  std::optional<std::int64_t> tensor;      // for plans of models: tensor index in the subgraph
  std::optional<std::int64_t> op;          // for plans of models: operator index (scratch buffers)
};

struct Problem {
  std::vector<Pool> pools;
  std::vector<Buffer> buffers;

  // True when no buffer carries an explicit conflict list: conflicts come from live ranges only.
  bool interval_only() const;
  // True when some buffer carries an overlap allowance.
  bool has_overlaps() const;
  std::optional<std::int32_t> find_pool(std::string_view name) const;
};

// What normalise() changed, for the caller to report.
struct NormaliseReport {
  std::int64_t asymmetric_edges_added = 0;  // a lists b but b does not list a
  std::int64_t duplicate_edges_dropped = 0;
  std::int64_t self_conflicts_dropped = 0;
};

// Makes explicit conflicts symmetric, sorted and unique, sorts live ranges and overlap allowances.
// Throws InputError on structural problems (bad indices, sizes, alignments, ranges, pools) and
// on allowances that cannot hold (docs/overlap.md: unknown buffer, negative distance, self,
// duplicate or opposite pair, a cycle, no common candidate pool, live ranges that meet elsewhere
// than Y's first step).
// Buffers, total size and timeline are held to `limits`.
NormaliseReport normalise(Problem& problem, std::string_view source, const InputLimits& limits = {});

// Two buffers conflict when an explicit edge joins them or two of their live ranges overlap.
bool live_ranges_overlap(const Buffer& a, const Buffer& b);

// The one rule for alignments everywhere (problem and plan files, --pool, the API): a power of two.
constexpr bool is_power_of_two(Bytes value) { return value > 0 && (value & (value - 1)) == 0; }

}  // namespace arenaplan
