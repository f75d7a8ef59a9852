// The text report of a model planned into several pools: each pool's size and use, where every
// byte went by kind, and every buffer with its pool, offset, access density and the reason.
#pragma once

#include <string>

#include "arenaplan/graph.h"
#include "arenaplan/model_planning.h"

namespace arenaplan::cli {

// The buffer table is printed for models of up to kBufferTableLimit buffers, or with `verbose`.
inline constexpr std::size_t kBufferTableLimit = 30;
std::string pool_report(const Graph& graph, const PooledModel& pooled, bool timing, bool verbose);

}  // namespace arenaplan::cli
