// Placement orders for the gap-filling algorithms.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "problem/conflict_index.h"

namespace arenaplan::detail {

enum class Ordering { size, first_use, conflicts, area };

std::string_view to_string(Ordering ordering);

// A permutation of all buffer indices. Ties are broken by the other keys, then by index, so the
// order is deterministic.
std::vector<std::int32_t> make_order(const Problem& problem, const ConflictIndex& index, Ordering ordering);
// Ordering::first_use, which needs no neighbour index.
std::vector<std::int32_t> make_first_use_order(const Problem& problem);

}  // namespace arenaplan::detail
