#include "algorithms/side_by_side.h"

#include "algorithms/run_members.h"

namespace arenaplan::detail {

std::int64_t place_side_by_side(const Problem& problem, const ConflictIndex& index, const AlgorithmContext& context,
                                const Budget& budget, std::vector<GapFillTry>& tries) {
  const std::vector<std::uint64_t> seeds(tries.size(), context.options.seed);  // placements use no seed
  return run_forked(context, budget, seeds, [&](std::size_t i, const AlgorithmContext& member) {
    GapFillTry& t = tries[i];
    t.order = make_order(problem, index, t.ordering);
    const bool sweep = t.ordering == Ordering::first_use && sweep_applies(problem);
    t.placed = sweep ? place_by_sweep(problem, t.order, t.fit, &member.budget)
                     : place_in_order(problem, index, t.order, t.fit, &member.budget);
  });
}

}  // namespace arenaplan::detail
