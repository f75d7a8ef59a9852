// Helpers shared by the exact solver's instance builders.
#pragma once

#include <vector>

#include "algorithms/exact_instance.h"

namespace arenaplan::exact {

// Items (sizes, alignments, fixed offsets) of `members`, with empty conflicts and cliques.
Instance make_items(const Problem& problem, const std::vector<std::int32_t>& members);
// Adds the live-range conflicts, the timeline sections as cliques and the timeline features.
void add_live_structure(const Problem& problem, const std::vector<std::int32_t>& members, Instance& instance);

}  // namespace arenaplan::exact
