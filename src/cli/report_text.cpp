#include "cli/report_text.h"

#include <iostream>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/lower_bound.h"

namespace arenaplan::cli {

std::string algorithm_line(const Plan& plan, bool timing) {
  std::string out = fmt::format("algorithm {}, search ended by {} ({} work units)", plan.algorithm,
                                to_string(plan.stopped_by), plan.work_units);
  if (plan.stopped_by == StopReason::time_limit) out += " (wall clock: another run may give another plan)";
  if (timing) out += fmt::format(", {:.3f} s", plan.solve_seconds);
  return out;
}

void print_warnings(const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) std::cerr << "arenaplan: warning: " << printable_text(w) << '\n';
}

std::string solve_report(const std::string& source, const Problem& problem, const Plan& plan, bool timing) {
  std::string out = fmt::format("{}: {} buffers, {} pools\n", source, problem.buffers.size(), problem.pools.size());
  const std::vector<Bytes> bounds = pool_lower_bounds(problem, plan);
  std::vector<std::size_t> counts(problem.pools.size(), 0);
  for (const Placement& p : plan.placements)
    if (p.pool >= 0) ++counts[p.pool];
  out += fmt::format("{:<24} {:<10} {:>8} {:>14} {:>14} {:>14}\n", "pool", "kind", "buffers", "size (bytes)", "limit",
                     "lower bound");
  for (std::size_t p = 0; p < problem.pools.size(); ++p) {
    const Pool& pool = problem.pools[p];
    out += fmt::format("{:<24} {:<10} {:>8} {:>14} {:>14} {:>14}\n", pool.name, to_string(pool.kind), counts[p],
                       plan.pool_sizes[p], pool.limit ? fmt::format("{}", *pool.limit) : "-", bounds[p]);
  }
  const double ratio =
      plan.lower_bound > 0 ? static_cast<double>(plan.total_size()) / static_cast<double>(plan.lower_bound) : 1.0;
  // With overlap allowances the bound is overlap-aware; the whole-tensor one is shown beside it.
  const std::string whole = problem.has_overlaps()
                                ? fmt::format(" (overlap-aware; whole-tensor {} bytes)", plan.whole_tensor_bound)
                                : std::string();
  out += fmt::format("total {} bytes, lower bound {} bytes{}, ratio {:.4f}, {}\n", plan.total_size(), plan.lower_bound,
                     whole, ratio, plan.optimal ? "optimal (proven)" : "not proven optimal");
  return out + algorithm_line(plan, timing) + '\n';
}

}  // namespace arenaplan::cli
