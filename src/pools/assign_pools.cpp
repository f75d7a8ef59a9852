// Assigning buffers to pools: each pool in priority order takes the densest buffers that fit;
// the least dense are backed off until its planned size is within its limit.
#include <algorithm>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/lower_bound.h"
#include "pools/pools_internal.h"

namespace arenaplan::pools {
namespace {

constexpr std::size_t kMaxExtraTries = 256;  // single-buffer additions tried after the densest prefix

std::vector<std::int32_t> with(std::vector<std::int32_t> set, const std::vector<std::int32_t>& more,
                               std::size_t count) {
  set.insert(set.end(), more.begin(), more.begin() + static_cast<std::ptrdiff_t>(count));
  return set;
}

[[noreturn]] void overflow(const Problem& problem, std::int32_t pool, const std::vector<std::int32_t>& must,
                           const SolveOptions& solving) {
  const Pool& p = problem.pools[static_cast<std::size_t>(pool)];
  const Problem sub = sub_problem(problem, pool, must, false);
  const Plan plan = solve(sub, solving);
  const Bytes need = plan.pool_sizes[0];
  const Bytes bound = pool_lower_bounds(sub, plan)[0];
  throw NoSolution(fmt::format(
      "pool '{}' overflows by {} bytes: the {} buffers that can go nowhere else need {} bytes and its limit is {}; "
      "the smallest size that works is {} bytes{} (pool spec {}:size={})",
      p.name, need - *p.limit, must.size(), need, *p.limit, need,
      need <= bound ? " (proven: the bytes live at the peak)" : fmt::format(" found (at least {} are needed)", bound),
      p.name, need));
}

}  // namespace

std::vector<std::int32_t> assign_pools(const Problem& problem, const Candidates& candidates,
                                       std::vector<BufferChoice>& choices, const SolveOptions& solving) {
  const std::size_t n = problem.buffers.size();
  std::vector<std::int32_t> assigned(n, -1);
  std::vector<std::vector<std::string>> full(n);  // pools a buffer was backed off from
  for (std::size_t p = 0; p < problem.pools.size(); ++p) {
    const auto pool = static_cast<std::int32_t>(p);
    std::vector<std::int32_t> must, optional;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& list = candidates.lists[i];
      if (assigned[i] >= 0 || std::find(list.begin(), list.end(), pool) == list.end()) continue;
      (list.back() == pool ? must : optional).push_back(static_cast<std::int32_t>(i));
    }
    std::stable_sort(optional.begin(), optional.end(), [&](std::int32_t a, std::int32_t b) {
      const auto& x = choices[static_cast<std::size_t>(a)];
      const auto& y = choices[static_cast<std::size_t>(b)];
      if (x.density != y.density) return x.density > y.density;
      return problem.buffers[static_cast<std::size_t>(a)].size < problem.buffers[static_cast<std::size_t>(b)].size;
    });
    std::vector<std::int32_t> taken;
    if (!problem.pools[p].limit) {
      taken = with(must, optional, optional.size());
    } else {
      auto fits = [&](const std::vector<std::int32_t>& set) {
        return quick_fit(sub_problem(problem, pool, set, true)).has_value();
      };
      if (!fits(must)) overflow(problem, pool, must, solving);
      std::size_t lo = 0, hi = optional.size();  // the densest `lo` fit
      while (lo < hi) {
        const std::size_t mid = (lo + hi + 1) / 2;
        if (fits(with(must, optional, mid)))
          lo = mid;
        else
          hi = mid - 1;
      }
      taken = with(must, optional, lo);
      std::size_t tries = 0;
      for (std::size_t k = lo + 1; k < optional.size() && tries < kMaxExtraTries; ++k) {
        if (problem.buffers[static_cast<std::size_t>(optional[k])].size > *problem.pools[p].limit) continue;
        ++tries;
        taken.push_back(optional[k]);
        if (!fits(taken)) taken.pop_back();
      }
    }
    for (std::int32_t i : taken) assigned[static_cast<std::size_t>(i)] = pool;
    for (std::int32_t i : optional)
      if (assigned[static_cast<std::size_t>(i)] < 0) full[static_cast<std::size_t>(i)].push_back(problem.pools[p].name);
  }
  for (std::size_t i = 0; i < n; ++i) {
    BufferChoice& c = choices[i];
    const std::string& pool = problem.pools[static_cast<std::size_t>(assigned[i])].name;
    if (!candidates.rule[i].empty())
      c.reason = fmt::format("placement rule '{}'", candidates.rule[i]);
    else if (candidates.lists[i].size() == 1)
      c.reason = fmt::format("only pool for {} buffers", to_string(problem.buffers[i].kind));
    else if (full[i].empty())
      c.reason = fmt::format("dense enough for {}, its first choice", pool);
    else {
      std::string names;
      for (const std::string& f : full[i]) names += (names.empty() ? "" : ", ") + f;
      c.reason = fmt::format("{} full of denser buffers", names);
    }
  }
  return assigned;
}

}  // namespace arenaplan::pools
