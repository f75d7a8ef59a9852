// Shared by the re-implementations of TVM USMP's algorithms (greedy_by_size, greedy_by_conflicts,
// hill_climb; apache/tvm src/tir/usmp/algo/, see shared/anchors/tvm_usmp.md). They run on the
// normalised problem: conflicts symmetric and unique, live-range overlaps included.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arenaplan/problem.h"
#include "problem/conflict_index.h"

namespace arenaplan::detail {

struct TvmView {
  explicit TvmView(const Problem& problem);
  const Problem& problem;
  std::vector<std::vector<std::int32_t>> conflicts;  // unique neighbours of each buffer
};

// TVM's sort for greedy_by_size and hill_climb: size desc, conflict count desc, name desc.
bool tvm_size_before(const TvmView& view, std::int32_t a, std::int32_t b);
// TVM's sort for greedy_by_conflicts: conflict count desc, size desc, name desc.
bool tvm_conflicts_before(const TvmView& view, std::int32_t a, std::int32_t b);

// glibc's rand_r (the generator TVM's hill_climb uses on Linux with seed 0), portable.
int glibc_rand_r(unsigned int* seed);

// The "no fit" message TVM gives, with the bytes missing.
std::string tvm_no_fit_message(const Problem& problem, std::int32_t buffer, Bytes excess);

}  // namespace arenaplan::detail
