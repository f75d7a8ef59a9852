// Registers first_fit_by_<ordering> and best_fit_by_<ordering>.
#include <algorithm>

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

namespace {

bool allowed(const Problem& problem, const GapFillRules& rules, Ordering ordering) {
  const std::size_t n = problem.buffers.size();
  if (ordering != Ordering::size && ordering != Ordering::first_use && n > rules.other_orders_up_to) return false;
  const bool needs_degrees =
      ordering == Ordering::conflicts || (ordering == Ordering::area && !problem.interval_only());
  return !(needs_degrees && n > rules.degree_orders_up_to);
}

}  // namespace

std::int64_t for_each_gap_fill(const Problem& problem, const ConflictIndex& index, const Budget& budget,
                               const GapFillRules& rules, const std::function<bool(GapFillTry&)>& visit) {
  std::vector<Ordering> orderings(kAllOrderings.begin(), kAllOrderings.end());
  if (problem.buffers.size() > rules.sweep_first_above)
    std::stable_partition(orderings.begin(), orderings.end(), [](Ordering o) { return o == Ordering::first_use; });
  bool stop = false;
  bool placed_one = false;  // a complete placement ran: the next ones may be cut
  bool one_fits = false;
  std::int64_t last_placement_work = 0;
  bool next_is_a_try = false;  // after a sweep: placed with the budget, not judged beforehand
  for (Fit fit : {Fit::best, Fit::first}) {
    for (Ordering ordering : orderings) {
      if (stop) break;
      if (rules.judge_budget && one_fits && !next_is_a_try && !budget.can_afford(last_placement_work)) break;
      if (!allowed(problem, rules, ordering)) continue;
      const bool sweep = ordering == Ordering::first_use && sweep_applies(problem);
      const Budget limit = placed_one ? budget : budget.uncapped();
      const std::int64_t before = budget.work_done();
      GapFillTry attempt{fit, ordering, make_order(problem, index, ordering), {}};
      attempt.placed = sweep ? place_by_sweep(problem, attempt.order, fit, &limit)
                             : place_in_order(problem, index, attempt.order, fit, &limit);
      last_placement_work = budget.work_done() - before;
      // A placement with neighbour queries costs about ten sweeps (bench_scale, DSA instances).
      if (sweep) last_placement_work *= 10;
      // But only about three on others (iopddl_S_1): the next order is tried, and cut if the
      // budget runs out during it, rather than skipped on the guess (there 1.26x the bound
      // with the guess, 1.025x without).
      next_is_a_try = sweep;
      if (attempt.placed.cut) {
        if (!rules.judge_budget) return last_placement_work;
        break;  // the budget is exhausted: the check below ends the loop
      }
      placed_one = true;
      one_fits = one_fits || attempt.placed.fits();
      stop = visit(attempt);
    }
    if (stop || (rules.judge_budget && budget.exhausted())) break;
  }
  return last_placement_work;
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
