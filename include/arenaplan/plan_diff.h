// Comparing two plans of the same problem (two algorithms, two kernel profiles): pool sizes,
// buffers that moved, and where each plan's peak is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arenaplan/io.h"
#include "arenaplan/plan.h"
#include "arenaplan/problem.h"

namespace arenaplan {

// Plans are read with read_plan_file (io.h).

struct PoolSizes {
  std::string pool;
  std::optional<Bytes> a, b;  // none: the plan has no such pool
  std::optional<Bytes> lower_a, lower_b;
  std::string top_a, top_b;            // the buffer that ends highest (sets the size)
  std::optional<Step> peak_a, peak_b;  // the step with the most bytes live in the pool
  Bytes peak_bytes_a = 0, peak_bytes_b = 0;
};

struct BufferMove {
  std::string name;
  std::string pool_a, pool_b;
  Bytes offset_a = 0, offset_b = 0;
  Bytes size = 0;
};

struct PlanDiff {
  std::vector<PoolSizes> pools;   // pools of A, then those only in B
  std::vector<BufferMove> moved;  // in both, with another pool or offset (largest first)
  std::vector<std::string> only_in_a, only_in_b;
  std::vector<std::string> changed;  // in both, with another size or live range
  std::size_t same = 0;              // in both, same place
  bool identical() const { return moved.empty() && only_in_a.empty() && only_in_b.empty() && changed.empty(); }
};

PlanDiff diff_plans(const PlanFile& a, const PlanFile& b);

// The diff as text, listing at most `max_rows` buffers per section.
std::string format_plan_diff(const PlanDiff& diff, const PlanFile& a, const PlanFile& b, std::size_t max_rows = 20);

}  // namespace arenaplan
