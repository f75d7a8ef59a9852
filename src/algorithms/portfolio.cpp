// auto: the default. Runs the fast algorithms, keeps the best valid plan, and stops as soon as a
// plan meets the lower bound; otherwise searches from the best order within the time budget.
#include <algorithm>
#include <cmath>
#include <optional>

#include "algorithms/builtins.h"
#include "algorithms/exact.h"
#include "algorithms/gap_fill_algorithms.h"
#include "algorithms/local_search.h"
#include "algorithms/run_members.h"
#include "algorithms/search_members.h"
#include "algorithms/side_by_side.h"
#include "algorithms/window_search.h"
#include "arenaplan/error.h"

namespace arenaplan::detail {
namespace {

constexpr std::size_t kTvmLimit = 500;               // TVM's algorithms are quadratic: small problems only
constexpr std::size_t kConflictOrderLimit = 200000;  // degree-based orders need every neighbour list
constexpr std::size_t kLargeProblem = 5000;

// Work units to sort an order of every buffer, to build the neighbour index if it is needed, and
// for the orders by degree to list every buffer's neighbours (10 n log n: 2 s of 200,000 intervals).
std::int64_t order_work(const Problem& problem, bool with_index, bool degrees = false) {
  const double n = static_cast<double>(problem.buffers.size());
  return static_cast<std::int64_t>(n * std::log2(n + 2) / 4 + (with_index ? 2 * n : 0) +
                                   (degrees ? 10 * n * std::log2(n + 2) : 0));
}

struct Candidate {
  Plan plan;
  std::vector<std::int32_t> order;  // empty when not from a gap-filling placement
  Fit fit = Fit::best;
};

Plan portfolio(const Problem& problem, const AlgorithmContext& context) {
  // Built on first use: the first placement of an interval problem (the sweep) needs no index,
  // and on a large problem it is a tenth of a second that a tight time limit cannot spare.
  std::optional<ConflictIndex> built;
  auto index = [&]() -> const ConflictIndex& {
    if (!built) built.emplace(problem);
    return *built;
  };
  std::optional<Candidate> best;
  std::optional<std::string> failure;
  std::vector<SearchStart> starts;  // every gap-filling plan's order: where the searches begin
  auto consider = [&](Plan plan, std::vector<std::int32_t> order, Fit fit) {
    compute_pool_sizes(problem, plan);
    if (!best || plan.total_size() < best->plan.total_size()) best = Candidate{std::move(plan), std::move(order), fit};
    context.report_progress(best->plan.total_size());
  };
  auto done = [&] { return best && best->plan.total_size() <= context.lower_bound; };

  // On large problems the timeline sweep (first use) goes first: it is the fastest placement, so
  // that a tight time limit still gets a plan quickly.
  std::vector<Ordering> orderings(kAllOrderings.begin(), kAllOrderings.end());
  if (problem.buffers.size() > kLargeProblem)
    std::stable_partition(orderings.begin(), orderings.end(), [](Ordering o) { return o == Ordering::first_use; });
  const Budget& budget = context.budget;
  std::vector<GapFillTry> tries;
  for (Fit fit : {Fit::best, Fit::first})
    for (Ordering ordering : orderings) {
      const bool needs_degrees =
          ordering == Ordering::conflicts || (ordering == Ordering::area && !problem.interval_only());
      if (!needs_degrees || problem.buffers.size() <= kConflictOrderLimit) tries.push_back({fit, ordering, {}, {}});
    }
  // After the first placement of a large problem, the next orders are placed side by side, one
  // per thread (on iopddl_S_1 the third order is the best, and one thread's budget reaches only
  // two).
  const std::size_t side_by_side =
      problem.buffers.size() > kLargeProblem ? std::max(1u, member_threads(context.options)) : 1;
  std::int64_t last_placement_work = 0;
  bool next_is_a_try = false;  // after a sweep: placed with the budget, not judged beforehand
  auto keep = [&](GapFillTry& t) {
    if (!t.placed.fits()) {
      if (!failure) failure = describe_overflow(problem, t.placed);
      return;
    }
    t.placed.plan.algorithm = gap_fill_name(t.fit, t.ordering);
    starts.push_back({t.placed.plan.total_size(), t.order, t.fit, t.placed.plan.algorithm});
    consider(std::move(t.placed.plan), std::move(t.order), t.fit);
  };
  const bool interval_only = problem.interval_only();
  for (std::size_t k = 0; k < tries.size();) {
    // Always one complete placement (never cut: a solve returns a plan); more while the budget
    // lasts (judged by the last one), each cut if the budget runs out during it.
    if (done() || (best && !next_is_a_try && !budget.can_afford(last_placement_work))) break;
    // Sorting an order (and building the index) cannot be cut: it must be affordable before it
    // starts (n log n / 4 units: on a million buffers about as long as a sweep placement).
    const bool sweep = tries[k].ordering == Ordering::first_use && sweep_applies(problem);
    std::int64_t sort_work = 0;  // the costliest order of the next try, or of the next batch
    for (std::size_t j = k; j < std::min(tries.size(), k + (best ? side_by_side : 1)); ++j) {
      const Ordering o = tries[j].ordering;
      const bool degrees = o == Ordering::conflicts || (o == Ordering::area && !interval_only);
      sort_work = std::max(sort_work, order_work(problem, !sweep && !built, degrees));
    }
    if ((best || failure) && !budget.can_afford(sort_work)) break;
    if (best && side_by_side > 1) {
      std::vector<GapFillTry> batch(
          tries.begin() + static_cast<std::ptrdiff_t>(k),
          tries.begin() + static_cast<std::ptrdiff_t>(std::min(tries.size(), k + side_by_side)));
      k += batch.size();
      last_placement_work = place_side_by_side(problem, index(), context, budget, batch);
      next_is_a_try = false;
      bool cut = false;
      for (GapFillTry& t : batch) {
        if (t.placed.cut) {
          cut = true;
          continue;
        }
        keep(t);
      }
      if (cut) break;
      continue;
    }
    GapFillTry& t = tries[k++];
    const Budget limit = best || failure ? budget : budget.uncapped();
    const std::int64_t before = budget.work_done();
    t.order = sweep ? make_first_use_order(problem) : make_order(problem, index(), t.ordering);
    budget.charge(sort_work);
    t.placed = sweep ? place_by_sweep(problem, t.order, t.fit, &limit)
                     : place_in_order(problem, index(), t.order, t.fit, &limit);
    last_placement_work = budget.work_done() - before;
    // A placement with neighbour queries costs about ten sweeps (bench_scale, DSA instances).
    if (sweep) last_placement_work *= 10;
    // But only about three on others (iopddl_S_1): the next order is tried, and cut if the
    // budget runs out during it, rather than skipped on the guess (there 1.26x the bound
    // with the guess, 1.025x without).
    next_is_a_try = sweep;
    if (t.placed.cut) break;
    keep(t);
    if (k == tries.size() / 2 && budget.exhausted()) break;  // the end of the best-fit orders
  }
  bool proven = false;  // exact search proved the best plan optimal
  // Splitting into independent parts (a sort of the timeline) comes before any cut.
  if (!done() && budget.can_afford(order_work(problem, false))) {
    // Exact search (80% of the budget left, before the searches that use all of it): improves the
    // best plan, or fits the limits when nothing did.
    const AlgorithmContext exact_context{context.options, context.lower_bound, budget.part(0.8)};
    try {
      Plan plan =
          best ? exact::improve(problem, exact_context, best->plan) : exact::solve_exact(problem, exact_context);
      compute_pool_sizes(problem, plan);
      proven = plan.optimal;
      // A plan no smaller keeps the member that found it (its name is the report's), unless proven.
      if (!best || plan.total_size() < best->plan.total_size() ||
          (proven && plan.total_size() == best->plan.total_size())) {
        best =
            Candidate{std::move(plan), best ? best->order : std::vector<std::int32_t>{}, best ? best->fit : Fit::best};
      }
    } catch (const NoSolution& e) {
      failure = e.what();  // proven infeasible, or out of budget
    } catch (const InputError&) {
      // beyond the exact search (large general conflict graphs): the other searches go on
    }
  }
  // On large problems a whole placement per step is too slow to search with: the window search
  // re-places only the buffers around the peak, and uses all of the rest of the budget.
  const bool windows = problem.buffers.size() > kLargeProblem && window_search_applies(problem);
  if (windows && best && !done() && !proven && !budget.exhausted()) {
    std::vector<std::string> names;
    std::vector<WindowResult> results = run_window_searches(problem, index(), context, budget, best->plan, names);
    for (std::size_t i = 0; i < results.size(); ++i) {
      // A plan no smaller keeps the member that found it (the report names the one that did).
      if (results[i].plan.total_size() >= best->plan.total_size()) continue;
      results[i].plan.algorithm = names[i];
      consider(std::move(results[i].plan), {}, Fit::best);
    }
  }
  // Local search starts by placing its first order once: only worth it if the budget allows that.
  if (!windows && !done() && !proven && budget.can_afford(last_placement_work)) {
    // With half of the budget left when TVM's hill climbing comes after it.
    const bool tvm_next = problem.buffers.size() <= kTvmLimit;
    const Budget search_budget = budget.part(tvm_next ? 0.5 : 1.0);
    std::vector<std::int32_t> fallback;
    if (!best || best->order.empty()) fallback = make_order(problem, index(), Ordering::size);
    const std::vector<SearchMember> members =
        search_members(context.options, starts, best ? &best->order : nullptr, best ? best->fit : Fit::best, fallback);
    std::vector<SearchResult> results = run_searches(problem, index(), context, search_budget, members);
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (!results[i].placed.fits()) continue;
      results[i].placed.plan.algorithm = members[i].name;
      consider(std::move(results[i].placed.plan), std::move(results[i].order), members[i].fit);
    }
  }
  if (!done() && !proven && problem.buffers.size() <= kTvmLimit) {
    for (const char* name : {"hill_climb", "greedy_by_size", "greedy_by_conflicts"}) {
      if (done()) break;
      try {
        Plan plan = find_algorithm(name)->run(problem, context);
        plan.algorithm = name;
        consider(std::move(plan), {}, Fit::first);
      } catch (const NoSolution& e) {
        if (!failure) failure = e.what();
      }
    }
  }
  if (!best) throw NoSolution(failure.value_or("no algorithm found a placement"));
  best->plan.algorithm = "auto/" + best->plan.algorithm;
  return best->plan;
}

}  // namespace

void register_portfolio() {
  register_algorithm({"auto",
                      "portfolio: gap filling with every order, exact search, local search, then TVM's "
                      "algorithms on small problems, within the time limit; stops at the lower bound",
                      portfolio});
}

}  // namespace arenaplan::detail
