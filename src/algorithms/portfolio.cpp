// auto: the default. Runs the fast algorithms, keeps the best valid plan, and stops as soon as a
// plan meets the lower bound; otherwise searches from the best order within the time budget.
#include <algorithm>
#include <optional>

#include "algorithms/builtins.h"
#include "algorithms/exact.h"
#include "algorithms/gap_fill_algorithms.h"
#include "algorithms/local_search.h"
#include "algorithms/search_members.h"
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
  ConflictIndex index(problem);
  std::optional<Candidate> best;
  std::optional<std::string> failure;
  std::vector<SearchStart> starts;  // every gap-filling plan's order: where the searches begin
  auto consider = [&](Plan plan, std::vector<std::int32_t> order, Fit fit) {
    compute_pool_sizes(problem, plan);
    if (!best || plan.total_size() < best->plan.total_size()) best = Candidate{std::move(plan), std::move(order), fit};
    context.report_progress(best->plan.total_size());
  };
  auto done = [&] { return best && best->plan.total_size() <= context.lower_bound; };

  // Every gap-filling placement while the budget lasts; on large problems the timeline sweep
  // first, and no orders that need every neighbour list on the largest.
  GapFillRules rules;
  rules.degree_orders_up_to = kConflictOrderLimit;
  rules.sweep_first_above = kLargeProblem;
  rules.judge_budget = true;
  const Budget& budget = context.budget;
  const std::int64_t last_placement_work = for_each_gap_fill(problem, index, budget, rules, [&](GapFillTry& attempt) {
    if (!attempt.placed.fits()) {
      if (!failure) failure = describe_overflow(problem, attempt.placed);
      return done();
    }
    Plan& plan = attempt.placed.plan;
    plan.algorithm = gap_fill_name(attempt.fit, attempt.ordering);
    starts.push_back({plan.total_size(), attempt.order, attempt.fit, plan.algorithm});
    consider(std::move(plan), std::move(attempt.order), attempt.fit);
    return done();
  });
  bool proven = false;  // exact search proved the best plan optimal
  if (!done() && !budget.exhausted()) {
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
  // Local search starts by placing its first order once: only worth it if the budget allows that.
  if (!done() && !proven && budget.can_afford(last_placement_work)) {
    // With half of the budget left when TVM's hill climbing comes after it.
    const bool tvm_next = problem.buffers.size() <= kTvmLimit;
    const Budget search_budget = budget.part(tvm_next ? 0.5 : 1.0);
    std::vector<std::int32_t> fallback;
    if (!best || best->order.empty()) fallback = make_order(problem, index, Ordering::size);
    const std::vector<SearchMember> members =
        search_members(context.options, starts, best ? &best->order : nullptr, best ? best->fit : Fit::best, fallback);
    std::vector<SearchResult> results = run_searches(problem, index, context, search_budget, members);
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
