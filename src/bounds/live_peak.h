// The peak of live bytes: one function for the lower bound, pool fitting, memory maps and reports
// (internal to the library: the public bound is lower_bound.h).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "arenaplan/plan.h"
#include "arenaplan/problem.h"

namespace arenaplan {

// The peak of live bytes: the earliest step at which the most bytes of `members` are live (live
// ranges are half-open: a range ending at t frees its bytes before one starting at t takes
// them), and that total. With `unranged`, a buffer without live ranges counts as live over it.
struct LivePeak {
  Step step = 0;
  Bytes bytes = 0;
};
LivePeak live_peak(const Problem& problem, const std::vector<std::int32_t>& members,
                   const std::optional<Interval>& unranged = std::nullopt);
// The same over every buffer of the problem.
LivePeak live_peak(const Problem& problem);

// Bytes of `members` live at each step of [0, steps).
std::vector<Bytes> live_bytes_per_step(const Problem& problem, const std::vector<std::int32_t>& members, Step steps);

// The buffers `plan` placed in `pool`, in buffer order.
std::vector<std::int32_t> buffers_in_pool(const Plan& plan, std::int32_t pool);

}  // namespace arenaplan
