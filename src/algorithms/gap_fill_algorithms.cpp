// Registers first_fit_by_<ordering> and best_fit_by_<ordering>.
#include <algorithm>
#include <cmath>

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

bool needs_degrees(const Problem& problem, Ordering ordering) {
  return ordering == Ordering::conflicts || (ordering == Ordering::area && !problem.interval_only());
}

bool allowed(const Problem& problem, const GapFillRules& rules, Ordering ordering) {
  const std::size_t n = problem.buffers.size();
  if (ordering != Ordering::size && ordering != Ordering::first_use && n > rules.other_orders_up_to) return false;
  return !(needs_degrees(problem, ordering) && n > rules.degree_orders_up_to);
}

}  // namespace

std::int64_t sorting_work(const Problem& problem, bool with_index, bool degrees) {
  const double n = static_cast<double>(problem.buffers.size());
  return static_cast<std::int64_t>(n * std::log2(n + 2) / 4 + (with_index ? 2 * n : 0) +
                                   (degrees ? 10 * n * std::log2(n + 2) : 0));
}

std::int64_t for_each_gap_fill(const Problem& problem, LazyConflictIndex& index, const Budget& budget,
                               const GapFillRules& rules, const std::function<bool(GapFillTry&)>& visit,
                               const PlaceBatch& place_batch) {
  std::vector<Ordering> orderings(kAllOrderings.begin(), kAllOrderings.end());
  if (problem.buffers.size() > rules.sweep_first_above)
    std::stable_partition(orderings.begin(), orderings.end(), [](Ordering o) { return o == Ordering::first_use; });
  std::vector<GapFillTry> tries;
  for (Fit fit : {Fit::best, Fit::first})
    for (Ordering ordering : orderings)
      if (allowed(problem, rules, ordering)) tries.push_back({fit, ordering, {}, {}});

  bool stop = false;
  bool placed_one = false;  // a complete placement ran: the next ones may be cut
  bool one_fits = false;
  std::int64_t last_placement_work = 0;
  bool next_is_a_try = false;  // after a sweep: placed with the budget, not judged beforehand
  auto seen = [&](GapFillTry& attempt) {
    placed_one = true;
    one_fits = one_fits || attempt.placed.fits();
    stop = visit(attempt) || stop;
  };
  for (std::size_t k = 0; k < tries.size() && !stop;) {
    if (rules.judge_budget && one_fits && !next_is_a_try && !budget.can_afford(last_placement_work)) break;
    const bool sweep = tries[k].ordering == Ordering::first_use && sweep_applies(problem);
    const std::size_t batch_size = one_fits && place_batch ? rules.side_by_side : 1;
    std::int64_t sort_work = 0;  // the costliest order of the next try, or of the next batch
    if (rules.charge_sorting) {
      for (std::size_t j = k; j < std::min(tries.size(), k + batch_size); ++j)
        sort_work = std::max(
            sort_work, sorting_work(problem, !sweep && !index.built(), needs_degrees(problem, tries[j].ordering)));
      if (placed_one && !budget.can_afford(sort_work)) break;
    }
    if (batch_size > 1) {
      std::vector<GapFillTry> batch(
          tries.begin() + static_cast<std::ptrdiff_t>(k),
          tries.begin() + static_cast<std::ptrdiff_t>(std::min(tries.size(), k + batch_size)));
      k += batch.size();
      last_placement_work = place_batch(batch);
      next_is_a_try = false;
      bool cut = false;
      for (GapFillTry& attempt : batch) {
        if (attempt.placed.cut) {
          cut = true;
          continue;
        }
        seen(attempt);
      }
      if (cut) break;
      continue;
    }
    GapFillTry& attempt = tries[k++];
    const Budget limit = placed_one ? budget : budget.uncapped();
    const std::int64_t before = budget.work_done();
    attempt.order = sweep ? make_first_use_order(problem) : make_order(problem, index.get(), attempt.ordering);
    budget.charge(sort_work);
    attempt.placed = sweep ? place_by_sweep(problem, attempt.order, attempt.fit, &limit)
                           : place_in_order(problem, index.get(), attempt.order, attempt.fit, &limit);
    last_placement_work = budget.work_done() - before;
    // A placement with neighbour queries costs about ten sweeps (bench_scale, DSA instances).
    if (sweep) last_placement_work *= 10;
    // But only about three on others (iopddl_S_1): the next order is tried, and cut if the
    // budget runs out during it, rather than skipped on the guess (there 1.26x the bound
    // with the guess, 1.025x without).
    next_is_a_try = sweep;
    if (attempt.placed.cut) break;
    seen(attempt);
    if (rules.judge_budget && k == tries.size() / 2 && budget.exhausted()) break;  // the end of the best-fit orders
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
