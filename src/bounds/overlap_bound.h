// The overlap-aware part of the lower bound: how many bytes fewer than their sizes' sum the
// buffers live at one step need at least, because of the overlap allowances among them.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "arenaplan/problem.h"

namespace arenaplan::bounds {

// Per step t, the bytes that may be saved at t: the sum of the sizes of the buffers in
// allowance pairs live together at t (X dies into Y) minus the least bytes they need together.
// Only steps with such a pair are listed. `member[i]`: buffer i is among those bounded.
std::map<Step, Bytes> overlap_savings(const Problem& problem, const std::vector<char>& member);

}  // namespace arenaplan::bounds
