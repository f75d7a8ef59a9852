// auto: the default. Runs the fast algorithms, keeps the best valid plan, and stops as soon as a
// plan meets the lower bound; otherwise searches from the best order within the time budget.
#include <algorithm>
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

struct Candidate {
  Plan plan;
  std::vector<std::int32_t> order;  // empty when not from a gap-filling placement
  Fit fit = Fit::best;
};

Plan portfolio(const Problem& problem, const AlgorithmContext& context) {
  LazyConflictIndex lazy_index(problem);
  auto index = [&]() -> const ConflictIndex& { return lazy_index.get(); };
  std::optional<Candidate> best;
  std::optional<std::string> failure;
  std::vector<SearchStart> starts;  // every gap-filling plan's order: where the searches begin
  auto consider = [&](Plan plan, std::vector<std::int32_t> order, Fit fit) {
    compute_pool_sizes(problem, plan);
    if (!best || plan.total_size() < best->plan.total_size()) best = Candidate{std::move(plan), std::move(order), fit};
    context.report_progress(best->plan.total_size());
  };
  auto done = [&] { return best && best->plan.total_size() <= context.lower_bound; };

  const Budget& budget = context.budget;
  GapFillRules rules;
  rules.degree_orders_up_to = kConflictOrderLimit;
  rules.sweep_first_above = kLargeProblem;
  rules.judge_budget = true;
  rules.charge_sorting = true;
  // After the first placement of a large problem, the next orders are placed side by side, one
  // per thread (on iopddl_S_1 the third order is the best, and one thread's budget reaches only
  // two).
  rules.side_by_side = problem.buffers.size() > kLargeProblem ? std::max(1u, member_threads(context.options)) : 1;
  const std::int64_t last_placement_work = for_each_gap_fill(
      problem, lazy_index, budget, rules,
      [&](GapFillTry& t) {
        if (!t.placed.fits()) {
          if (!failure) failure = describe_overflow(problem, t.placed);
          return false;
        }
        t.placed.plan.algorithm = gap_fill_name(t.fit, t.ordering);
        starts.push_back({t.placed.plan.total_size(), t.order, t.fit, t.placed.plan.algorithm});
        consider(std::move(t.placed.plan), std::move(t.order), t.fit);
        return done();
      },
      [&](std::vector<GapFillTry>& batch) { return place_side_by_side(problem, index(), context, budget, batch); });
  bool proven = false;  // exact search proved the best plan optimal
  // Splitting into independent parts (a sort of the timeline) comes before any cut.
  if (!done() && budget.can_afford(sorting_work(problem, false))) {
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
