#include "io/plan_csv.h"

#include <algorithm>

#include <fmt/format.h>

#include "arenaplan/error.h"

namespace arenaplan {

std::string plan_csv(const Problem& problem, const Plan& plan, const std::string& target) {
  if (problem.pools.size() > 1)
    throw InputError(fmt::format("{}: MiniMalloc's CSV holds one pool and this plan has {}: write JSON instead", target,
                                 problem.pools.size()));
  const bool aligned =
      std::any_of(problem.buffers.begin(), problem.buffers.end(), [](const Buffer& b) { return b.alignment > 1; });
  std::string out = aligned ? "id,lower,upper,size,alignment,offset\n" : "id,lower,upper,size,offset\n";
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    const Buffer& b = problem.buffers[i];
    if (b.live.size() != 1 || b.name.find_first_of(",\n\r") != std::string::npos)
      throw InputError(fmt::format(
          "{}: buffer '{}' {}: MiniMalloc's CSV holds one live range per buffer and plain names: write JSON instead",
          target, b.name, b.live.size() != 1 ? fmt::format("has {} live ranges", b.live.size()) : "has a comma"));
    out += fmt::format("{},{},{},{},", b.name, b.live[0].first, b.live[0].last, b.size);
    if (aligned) out += fmt::format("{},", b.alignment);
    out += fmt::format("{}\n", plan.placements[i].offset);
  }
  return out;
}

}  // namespace arenaplan
