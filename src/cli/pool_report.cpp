#include "cli/pool_report.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "arenaplan/lower_bound.h"
#include "cli/report_text.h"

namespace arenaplan::cli {
namespace {

std::string short_name(const std::string& name, std::size_t width) {
  return name.size() <= width ? name : name.substr(0, width - 3) + "...";
}

std::string pools_table(const PooledModel& pooled) {
  const Problem& problem = pooled.model.lowered.problem;
  const Plan& plan = pooled.model.plan;
  const std::vector<Bytes> bounds = pool_lower_bounds(problem, plan);
  std::vector<Bytes> access(problem.pools.size(), 0);
  std::vector<std::size_t> count(problem.pools.size(), 0);
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    access[static_cast<std::size_t>(plan.placements[i].pool)] += pooled.choices[i].access_bytes;
    ++count[static_cast<std::size_t>(plan.placements[i].pool)];
  }
  const Bytes all_access = std::accumulate(access.begin(), access.end(), Bytes{0});
  std::string out = "pools, in priority order (size: bytes the plan uses; lower bound: bytes live at the peak)\n";
  out += fmt::format("  {:<12} {:<9} {:<8} {:>10} {:>10} {:>11} {:>7} {:>14}\n", "pool", "kind", "owner", "limit",
                     "size", "lower bound", "buffers", "access share");
  for (std::size_t p = 0; p < problem.pools.size(); ++p) {
    const Pool& pool = problem.pools[p];
    const double share =
        all_access > 0 ? 100.0 * static_cast<double>(access[p]) / static_cast<double>(all_access) : 0.0;
    out += fmt::format("  {:<12} {:<9} {:<8} {:>10} {:>10} {:>11} {:>7} {:>13.1f}%\n", pool.name, to_string(pool.kind),
                       pool.external ? "external" : "internal", pool.limit ? fmt::format("{}", *pool.limit) : "none",
                       plan.pool_sizes[p], bounds[p], count[p], share);
  }
  return out;
}

// Bytes of each kind in each pool (summed buffer sizes: buffers that share bytes count each).
std::string where_bytes_went(const PooledModel& pooled) {
  const Problem& problem = pooled.model.lowered.problem;
  const Plan& plan = pooled.model.plan;
  constexpr BufferKind kKinds[] = {BufferKind::activation, BufferKind::scratch,  BufferKind::input,
                                   BufferKind::output,     BufferKind::constant, BufferKind::variable};
  std::string out = "where the bytes went (buffer bytes by kind; buffers not live together share addresses)\n";
  for (std::size_t p = 0; p < problem.pools.size(); ++p) {
    std::string parts;
    for (BufferKind kind : kKinds) {
      Bytes bytes = 0;
      for (std::size_t i = 0; i < problem.buffers.size(); ++i)
        if (plan.placements[i].pool == static_cast<std::int32_t>(p) && problem.buffers[i].kind == kind)
          bytes += problem.buffers[i].size;
      if (bytes > 0) parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", to_string(kind), bytes);
    }
    out += fmt::format("  {:<12} {} bytes: {}\n", problem.pools[p].name, plan.pool_sizes[p],
                       parts.empty() ? "empty" : parts);
  }
  return out;
}

std::string buffers_table(const PooledModel& pooled) {
  const Problem& problem = pooled.model.lowered.problem;
  const Plan& plan = pooled.model.plan;
  std::vector<std::size_t> order(problem.buffers.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::pair(plan.placements[a].pool, plan.placements[a].offset) <
           std::pair(plan.placements[b].pool, plan.placements[b].offset);
  });
  std::string out = "buffers (access: bytes read and written per run, per byte of buffer)\n";
  out += fmt::format("  {:<36} {:<10} {:<12} {:>8} {:>8} {:>7}  {}\n", "buffer", "kind", "pool", "offset", "bytes",
                     "access", "why");
  for (std::size_t i : order)
    out += fmt::format("  {:<36} {:<10} {:<12} {:>8} {:>8} {:>7.2f}  {}\n", short_name(problem.buffers[i].name, 36),
                       to_string(problem.buffers[i].kind),
                       problem.pools[static_cast<std::size_t>(plan.placements[i].pool)].name, plan.placements[i].offset,
                       problem.buffers[i].size, pooled.choices[i].density, pooled.choices[i].reason);
  return out;
}

}  // namespace

std::string pool_report(const Graph& graph, const PooledModel& pooled, bool timing, bool verbose) {
  const Plan& plan = pooled.model.plan;
  std::string out = fmt::format("model {}: {} operators, {} buffers, {} steps\n", graph.source, graph.operators.size(),
                                pooled.model.lowered.problem.buffers.size(), pooled.model.lowered.steps);
  out += "objective: the highest-priority pools first take the buffers with the most bytes accessed per byte\n";
  out += pools_table(pooled);
  out += where_bytes_went(pooled);
  const std::size_t buffers = pooled.model.lowered.problem.buffers.size();
  if (verbose || buffers <= kBufferTableLimit)
    out += buffers_table(pooled);
  else
    out += fmt::format("buffers: {} (--verbose lists each with its pool, offset and why; so does the plan JSON)\n",
                       buffers);
  out += algorithm_line(plan, timing) + ", checked\n";
  return out;
}

}  // namespace arenaplan::cli
