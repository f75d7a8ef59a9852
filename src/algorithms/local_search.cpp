#include "algorithms/local_search.h"

#include <algorithm>
#include <random>

#include "algorithms/builtins.h"
#include "algorithms/gap_fill_algorithms.h"
#include "arenaplan/error.h"

namespace arenaplan::detail {
namespace {

// Lower is better: any overflow is worse than any plan that fits.
struct Score {
  Bytes excess;
  Bytes total;
  friend auto operator<=>(const Score&, const Score&) = default;
};

Score score_of(const Placed& placed) {
  Bytes excess = 0;
  for (const Overflow& o : placed.overflow) excess += o.excess;
  return {excess, placed.plan.total_size()};
}

}  // namespace

SearchResult local_search(const Problem& problem, const ConflictIndex& index, std::vector<std::int32_t> order, Fit fit,
                          const AlgorithmContext& context, std::int64_t max_evaluations) {
  std::mt19937_64 rng(context.options.seed);
  const std::size_t n = order.size();
  const Budget& budget = context.budget;
  const Budget first = budget.uncapped();  // the start always completes: the search has a plan
  SearchResult best{place_in_order(problem, index, order, fit, &first), order, 1};
  Score best_score = score_of(best.placed);
  Placed current = best.placed;
  Score current_score = best_score;
  std::vector<std::int32_t> pos(n), top, earlier;
  std::int64_t since_improvement = 0;
  while (best.evaluations < max_evaluations && n > 1) {
    if (best_score.excess == 0 && best_score.total <= context.lower_bound) break;
    if (budget.exhausted()) break;
    for (std::size_t k = 0; k < n; ++k) pos[order[k]] = static_cast<std::int32_t>(k);

    std::vector<std::int32_t> candidate = order;
    // Buffers at the top of a pool (or past a limit) are the ones worth moving.
    top.clear();
    for (std::size_t i = 0; i < n; ++i) {
      const Placement& p = current.plan.placements[i];
      if (problem.buffers[i].size > 0 && !problem.buffers[i].fixed_offset &&
          p.offset + problem.buffers[i].size == current.plan.pool_sizes[p.pool])
        top.push_back(static_cast<std::int32_t>(i));
    }
    for (const Overflow& o : current.overflow) top.push_back(o.buffer);
    if (top.empty()) break;
    const std::int32_t node = top[rng() % top.size()];
    earlier.clear();
    index.for_each_neighbor(node, [&](std::int32_t j) {
      if (pos[j] < pos[node]) earlier.push_back(j);
    });
    if (since_improvement > 0 && since_improvement % 64 == 0) {
      // Stuck: a random swap shakes the order.
      std::swap(candidate[rng() % n], candidate[rng() % n]);
    } else if (!earlier.empty()) {
      const std::int32_t target = earlier[rng() % earlier.size()];
      const auto from = candidate.begin() + pos[node];
      const auto to = candidate.begin() + pos[target];
      std::rotate(to, from, from + 1);  // node now sits just before target
    } else {
      std::swap(candidate[rng() % n], candidate[static_cast<std::size_t>(pos[node])]);
    }
    Placed placed = place_in_order(problem, index, candidate, fit, &budget);
    if (placed.cut) break;
    ++best.evaluations;
    const Score s = score_of(placed);
    if (s <= current_score || since_improvement % 64 == 0) {
      order = std::move(candidate);
      current = std::move(placed);
      current_score = s;
    }
    if (s < best_score) {
      best_score = s;
      best.placed = current;
      best.order = order;
      since_improvement = 0;
      if (s.excess == 0) context.report_progress(s.total);
    } else {
      ++since_improvement;
      if (best_score.excess == 0 && best.evaluations % 64 == 0) context.report_progress(best_score.total);
    }
  }
  return best;
}

void register_local_search() {
  register_algorithm({"local_search",
                      "seeded local search over the placement order of best-fit gap filling; stops at the lower bound",
                      [](const Problem& problem, const AlgorithmContext& context) {
                        ConflictIndex index(problem);
                        const std::vector<std::int32_t> start = make_order(problem, index, Ordering::size);
                        SearchResult r = local_search(problem, index, start, Fit::best, context, 200000);
                        if (!r.placed.fits()) throw NoSolution(describe_overflow(problem, r.placed));
                        r.placed.plan.algorithm = "local_search";
                        return r.placed.plan;
                      }});
}

}  // namespace arenaplan::detail
