// Registers first_fit_by_<ordering> and best_fit_by_<ordering>.
#include <fmt/format.h>

#include "algorithms/builtins.h"
#include "algorithms/gap_fill_algorithms.h"
#include "arenaplan/algorithm.h"
#include "arenaplan/error.h"

namespace arenaplan::detail {

std::string gap_fill_name(Fit fit, Ordering ordering) {
  return fmt::format("{}_fit_by_{}", fit == Fit::first ? "first" : "best", to_string(ordering));
}

Placed run_gap_fill(const Problem& problem, const ConflictIndex& index, Fit fit, Ordering ordering,
                    const Budget* budget) {
  const std::vector<std::int32_t> order = make_order(problem, index, ordering);
  if (ordering == Ordering::first_use && sweep_applies(problem)) return place_by_sweep(problem, order, fit, budget);
  return place_in_order(problem, index, order, fit, budget);
}

Placed run_gap_fill(const Problem& problem, Fit fit, Ordering ordering, const Budget* budget) {
  if (ordering == Ordering::first_use && sweep_applies(problem)) {
    // The sweep needs no neighbour queries, and the first-use order none either.
    return place_by_sweep(problem, make_first_use_order(problem), fit, budget);
  }
  const ConflictIndex index(problem);
  return run_gap_fill(problem, index, fit, ordering, budget);
}

Placed fastest_placement(const Problem& problem, const ConflictIndex& index, const Budget& budget) {
  const Budget uncapped = budget.uncapped();
  Placed placed = run_gap_fill(problem, index, Fit::first, Ordering::first_use, &uncapped);
  placed.plan.algorithm = gap_fill_name(Fit::first, Ordering::first_use);
  return placed;
}

void register_gap_fill_algorithms() {
  for (Fit fit : {Fit::first, Fit::best}) {
    for (Ordering ordering : kAllOrderings) {
      const std::string name = gap_fill_name(fit, ordering);
      register_algorithm({name,
                          fmt::format("gap-filling {} fit, buffers ordered by {}", fit == Fit::first ? "first" : "best",
                                      to_string(ordering)),
                          [=](const Problem& problem, const AlgorithmContext& context) {
                            // One placement: it completes (and counts its work).
                            const Budget count = context.budget.uncapped();
                            Placed placed = run_gap_fill(problem, fit, ordering, &count);
                            if (!placed.fits()) throw NoSolution(describe_overflow(problem, placed));
                            placed.plan.algorithm = name;
                            return placed.plan;
                          }});
    }
  }
}

}  // namespace arenaplan::detail
