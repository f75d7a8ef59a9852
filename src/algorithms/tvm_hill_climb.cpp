// hill_climb as TVM USMP defines it (HillClimbAllocator in apache/tvm hill_climb.cc): 500 attempts
// of a first-fit placement over a permuted order, swapping buffers near the top of the fullest
// pool, accepting worse results with a probability that shrinks over time, driven by glibc's
// rand_r with seed 0 (or --seed). It stops when the total meets the lower bound. TVM returns the
// last accepted attempt, and so does this; its rejected pools are never re-admitted.
#include <algorithm>
#include <map>
#include <numeric>
#include <optional>

#include "algorithms/builtins.h"
#include "algorithms/gap_fill.h"
#include "algorithms/tvm_common.h"
#include "arenaplan/algorithm.h"
#include "arenaplan/error.h"

namespace arenaplan::detail {
namespace {

constexpr int kMaxAttempts = 500;

bool valid(const Pool& pool, Bytes offset, Bytes size) { return !pool.limit || offset + size <= *pool.limit; }

struct Attempt {
  std::vector<Placement> placements;  // pool -1: could not fit
  bool could_not_fit = false;
};

// HillClimbAllocator::greedy: first fit among placed conflicts sorted by offset.
Attempt greedy(const TvmView& view, const std::vector<std::int32_t>& order) {
  const Problem& problem = view.problem;
  Attempt a;
  a.placements.assign(problem.buffers.size(), Placement{});
  std::vector<char> done(problem.buffers.size(), 0);
  std::vector<std::int32_t> placed_conflicts;
  for (std::int32_t i : order) {
    const Buffer& b = problem.buffers[i];
    done[i] = 1;
    if (b.fixed_offset) {
      a.placements[i] = {b.pools.front(), *b.fixed_offset};
      continue;
    }
    std::map<std::int32_t, Bytes> candidates;
    for (std::int32_t p : b.pools)
      if (valid(problem.pools[p], 0, b.size)) candidates[p] = 0;
    placed_conflicts.clear();
    for (std::int32_t c : view.conflicts[i])
      if (done[c] && a.placements[c].pool >= 0) placed_conflicts.push_back(c);
    std::stable_sort(placed_conflicts.begin(), placed_conflicts.end(),
                     [&](std::int32_t x, std::int32_t y) { return a.placements[x].offset < a.placements[y].offset; });
    for (std::int32_t c : placed_conflicts) {
      const Placement& pc = a.placements[c];
      auto it = candidates.find(pc.pool);
      if (it == candidates.end()) continue;  // never re-admitted once rejected
      const Buffer& cb = problem.buffers[c];
      const Bytes next = align_up(align_up(pc.offset + cb.size, cb.alignment), b.alignment);
      if (valid(problem.pools[pc.pool], next, b.size)) {
        if (next > it->second && it->second + b.size > pc.offset) it->second = next;
      } else {
        candidates.erase(it);
      }
    }
    auto chosen = std::find_if(b.pools.begin(), b.pools.end(), [&](std::int32_t p) { return candidates.count(p) > 0; });
    if (chosen == b.pools.end()) {
      a.could_not_fit = true;
      a.placements[i] = {-1, 0};
    } else {
      a.placements[i] = {*chosen, candidates[*chosen]};
    }
  }
  return a;
}

std::vector<Bytes> highest(const Problem& problem, const Attempt& a) {
  std::vector<Bytes> sizes(problem.pools.size(), 0);
  for (std::size_t i = 0; i < a.placements.size(); ++i)
    if (a.placements[i].pool >= 0)
      sizes[a.placements[i].pool] =
          std::max(sizes[a.placements[i].pool], a.placements[i].offset + problem.buffers[i].size);
  return sizes;
}

Plan hill_climb(const Problem& problem, const AlgorithmContext& context) {
  const TvmView view(problem);
  const std::size_t n = problem.buffers.size();
  std::vector<std::int32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return tvm_size_before(view, a, b); });
  std::stable_partition(order.begin(), order.end(),
                        [&](std::int32_t i) { return problem.buffers[i].fixed_offset.has_value(); });
  std::vector<int> pos(n);
  for (std::size_t k = 0; k < n; ++k) pos[order[k]] = static_cast<int>(k);
  auto swap_positions = [&](int i1, int i2) {
    if (i1 == i2 || i1 < 0 || i2 < 0) return;
    std::swap(order[i1], order[i2]);
    pos[order[i1]] = i1;
    pos[order[i2]] = i2;
  };
  auto movable = [&](std::int32_t i) { return !problem.buffers[i].fixed_offset; };

  unsigned int seed = static_cast<unsigned int>(context.options.seed);
  Bytes total_size = 0;
  int swap_i1 = -1, swap_i2 = -1;
  std::optional<Attempt> result, current;
  std::int64_t attempt_work = static_cast<std::int64_t>(n) + 1;  // a greedy pass looks at every conflict
  for (const auto& list : view.conflicts) attempt_work += static_cast<std::int64_t>(list.size());
  for (int attempts = 0; attempts < kMaxAttempts && (attempts == 0 || !context.budget.exhausted()); ++attempts) {
    std::optional<Attempt> rollback = std::move(current);
    current = greedy(view, order);
    context.budget.charge(attempt_work);
    std::vector<Bytes> pool_sizes = highest(problem, *current);
    Bytes total = 0;
    for (Bytes s : pool_sizes) total += s;
    const bool accept =
        total_size == 0 ||
        (!current->could_not_fit &&
         (total_size > total ||
          glibc_rand_r(&seed) % 100 <
              static_cast<int>(50 * static_cast<std::uint64_t>(total - total_size) / static_cast<std::uint64_t>(total) /
                               static_cast<std::uint64_t>(attempts))));
    if (accept) {
      result = current;
      if (!current->could_not_fit) {
        total_size = total;
        context.report_progress(total_size);
        if (total_size <= context.lower_bound) break;
      }
    } else {
      swap_positions(swap_i2, swap_i1);
      current = std::move(rollback);
      pool_sizes = highest(problem, *current);
    }
    // Buffers at the top of their pool, by position; one of them, at random, moves.
    std::vector<std::int32_t> top;
    for (std::size_t i = 0; i < n; ++i) {
      const Placement& p = current->placements[i];
      if (p.pool >= 0 && pool_sizes[p.pool] == p.offset + problem.buffers[i].size)
        top.push_back(static_cast<std::int32_t>(i));
    }
    if (top.empty()) break;
    std::sort(top.begin(), top.end(), [&](std::int32_t a, std::int32_t b) { return pos[a] < pos[b]; });
    const std::int32_t node = top[static_cast<std::size_t>(glibc_rand_r(&seed)) % top.size()];
    std::vector<std::int32_t> first_level, second_level;
    for (std::int32_t c1 : view.conflicts[node]) {
      if (pos[node] > pos[c1] && movable(c1)) first_level.push_back(c1);
      for (std::int32_t c2 : view.conflicts[c1])
        if (pos[c1] > pos[c2] && movable(c2)) second_level.push_back(c2);
    }
    auto by_pos = [&](std::int32_t a, std::int32_t b) { return pos[a] < pos[b]; };
    std::sort(first_level.begin(), first_level.end(), by_pos);
    std::sort(second_level.begin(), second_level.end(), by_pos);
    if (first_level.empty()) continue;
    const std::int32_t swap1 = first_level[static_cast<std::size_t>(glibc_rand_r(&seed)) % first_level.size()];
    std::int32_t swap2 = swap1;
    while (swap2 == swap1) {
      swap2 = !second_level.empty() && glibc_rand_r(&seed) % 100 > 25
                  ? second_level[static_cast<std::size_t>(glibc_rand_r(&seed)) % second_level.size()]
                  : first_level[static_cast<std::size_t>(glibc_rand_r(&seed)) % first_level.size()];
      if (second_level.size() < 2 && first_level.size() < 2) break;
    }
    if (swap1 == swap2) continue;
    swap_i1 = pos[swap1];
    swap_i2 = pos[swap2];
    swap_positions(swap_i1, swap_i2);
  }
  if (!result || result->could_not_fit) {
    const Attempt& a = result ? *result : greedy(view, order);
    for (std::size_t i = 0; i < n; ++i)
      if (a.placements[i].pool < 0) {
        const Pool& first = problem.pools[problem.buffers[i].pools.front()];
        throw NoSolution(tvm_no_fit_message(
            problem, static_cast<std::int32_t>(i),
            highest(problem, a)[problem.buffers[i].pools.front()] + problem.buffers[i].size - first.limit.value_or(0)));
      }
  }
  Plan plan;
  plan.placements = result->placements;
  return plan;
}

}  // namespace

void register_tvm_hill_climb() {
  register_algorithm(
      {"hill_climb", "TVM USMP hill_climb: 500 seeded permutations of a first-fit placement", hill_climb});
}

}  // namespace arenaplan::detail
