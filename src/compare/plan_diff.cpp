// Two plans of the same problem, side by side.
#include "arenaplan/plan_diff.h"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "emit/memory_map_layout.h"

namespace arenaplan {
namespace {

struct PoolFacts {
  Bytes size = 0, lower = 0, peak_bytes = 0;
  std::optional<Step> peak;
  std::string top;
};

std::unordered_map<std::string, PoolFacts> pool_facts(const PlanFile& f) {
  std::unordered_map<std::string, PoolFacts> out;
  for (std::size_t p = 0; p < f.problem.pools.size(); ++p)
    out[f.problem.pools[p].name].size = p < f.plan.pool_sizes.size() ? f.plan.pool_sizes[p] : 0;
  for (const emit::MapPanel& panel : emit::layout_memory_map(f.problem, f.plan).panels) {
    PoolFacts& facts = out[f.problem.pools[panel.pool].name];
    facts.lower = panel.lower_bound;
    facts.peak = panel.peak_step;
    facts.peak_bytes = panel.peak_bytes;
    if (panel.top_buffer >= 0) facts.top = f.problem.buffers[panel.top_buffer].name;
  }
  return out;
}

std::string pool_name(const PlanFile& f, std::size_t buffer) {
  return f.problem.pools[f.plan.placements[buffer].pool].name;
}

std::string optional_bytes(const std::optional<Bytes>& v) { return v ? emit::group_digits(*v) : "-"; }
std::string optional_step(const std::optional<Step>& v) { return v ? fmt::format("{}", *v) : "-"; }

}  // namespace

PlanDiff diff_plans(const PlanFile& a, const PlanFile& b) {
  PlanDiff diff;
  const auto facts_a = pool_facts(a), facts_b = pool_facts(b);
  auto add_pool = [&](const std::string& name) {
    PoolSizes row;
    row.pool = name;
    if (auto it = facts_a.find(name); it != facts_a.end()) {
      row.a = it->second.size, row.lower_a = it->second.lower, row.top_a = it->second.top;
      row.peak_a = it->second.peak, row.peak_bytes_a = it->second.peak_bytes;
    }
    if (auto it = facts_b.find(name); it != facts_b.end()) {
      row.b = it->second.size, row.lower_b = it->second.lower, row.top_b = it->second.top;
      row.peak_b = it->second.peak, row.peak_bytes_b = it->second.peak_bytes;
    }
    diff.pools.push_back(std::move(row));
  };
  for (const Pool& pool : a.problem.pools) add_pool(pool.name);
  for (const Pool& pool : b.problem.pools)
    if (!a.problem.find_pool(pool.name)) add_pool(pool.name);

  std::unordered_map<std::string, std::size_t> in_b;
  for (std::size_t j = 0; j < b.problem.buffers.size(); ++j) in_b.emplace(b.problem.buffers[j].name, j);
  std::vector<bool> matched(b.problem.buffers.size(), false);
  for (std::size_t i = 0; i < a.problem.buffers.size(); ++i) {
    const Buffer& x = a.problem.buffers[i];
    auto it = in_b.find(x.name);
    if (it == in_b.end()) {
      diff.only_in_a.push_back(x.name);
      continue;
    }
    const std::size_t j = it->second;
    matched[j] = true;
    const Buffer& y = b.problem.buffers[j];
    if (x.size != y.size || x.live != y.live) diff.changed.push_back(x.name);
    const std::string pa = pool_name(a, i), pb = pool_name(b, j);
    const Bytes oa = a.plan.placements[i].offset, ob = b.plan.placements[j].offset;
    if (pa != pb || oa != ob)
      diff.moved.push_back({x.name, pa, pb, oa, ob, std::max(x.size, y.size)});
    else
      ++diff.same;
  }
  for (std::size_t j = 0; j < b.problem.buffers.size(); ++j)
    if (!matched[j]) diff.only_in_b.push_back(b.problem.buffers[j].name);
  std::stable_sort(diff.moved.begin(), diff.moved.end(),
                   [](const BufferMove& l, const BufferMove& r) { return l.size > r.size; });
  return diff;
}

std::string format_plan_diff(const PlanDiff& diff, const PlanFile& a, const PlanFile& b, std::size_t max_rows) {
  std::string out;
  for (const PlanFile* f : {&a, &b}) {
    out += fmt::format("{}: {}, {} buffers, {} bytes, lower bound {}{}\n", f == &a ? "A" : "B", f->path,
                       f->problem.buffers.size(), emit::group_digits(f->plan.total_size()),
                       emit::group_digits(f->plan.lower_bound),
                       f->plan.algorithm.empty() ? "" : ", algorithm " + f->plan.algorithm);
  }
  out += fmt::format("\n{:<16} {:>12} {:>12} {:>10} {:>21} {:>13}  {}\n", "pool", "A bytes", "B bytes", "B - A",
                     "lower bound A / B", "peak A / B", "top buffer A / B");
  Bytes total_a = 0, total_b = 0;
  for (const PoolSizes& p : diff.pools) {
    total_a += p.a.value_or(0), total_b += p.b.value_or(0);
    const std::string delta = p.a && p.b ? fmt::format("{:+}", *p.b - *p.a) : "-";
    out += fmt::format("{:<16} {:>12} {:>12} {:>10} {:>21} {:>13}  {} / {}\n", p.pool, optional_bytes(p.a),
                       optional_bytes(p.b), delta, optional_bytes(p.lower_a) + " / " + optional_bytes(p.lower_b),
                       optional_step(p.peak_a) + " / " + optional_step(p.peak_b), p.top_a.empty() ? "-" : p.top_a,
                       p.top_b.empty() ? "-" : p.top_b);
  }
  out += fmt::format("{:<16} {:>12} {:>12} {:>10}\n", "total", emit::group_digits(total_a), emit::group_digits(total_b),
                     fmt::format("{:+}", total_b - total_a));
  for (const PoolSizes& p : diff.pools)
    if (p.peak_a && p.peak_b && (*p.peak_a != *p.peak_b || p.peak_bytes_a != p.peak_bytes_b))
      out += fmt::format("pool {}: the peak differs: A has {} bytes live at step {}, B {} bytes at step {}\n", p.pool,
                         emit::group_digits(p.peak_bytes_a), *p.peak_a, emit::group_digits(p.peak_bytes_b), *p.peak_b);

  const std::size_t both = diff.same + diff.moved.size();
  out += fmt::format(
      "\nbuffers: {} in both ({} in the same place, {} moved), {} only in A, {} only in B, {} with another size or "
      "live range\n",
      both, diff.same, diff.moved.size(), diff.only_in_a.size(), diff.only_in_b.size(), diff.changed.size());
  if (!diff.moved.empty()) {
    out += "moved, largest first:\n";
    for (std::size_t k = 0; k < diff.moved.size() && k < max_rows; ++k) {
      const BufferMove& m = diff.moved[k];
      out += fmt::format("  {:<32} {:>10} bytes  A {}@{}  ->  B {}@{}\n", m.name, emit::group_digits(m.size), m.pool_a,
                         emit::group_digits(m.offset_a), m.pool_b, emit::group_digits(m.offset_b));
    }
    if (diff.moved.size() > max_rows) out += fmt::format("  ... and {} more\n", diff.moved.size() - max_rows);
  }
  auto names = [&](const char* title, const std::vector<std::string>& list) {
    if (list.empty()) return;
    out += fmt::format("{}:", title);
    for (std::size_t k = 0; k < list.size() && k < max_rows; ++k) out += " " + list[k];
    if (list.size() > max_rows) out += fmt::format(" ... and {} more", list.size() - max_rows);
    out += '\n';
  };
  names("only in A", diff.only_in_a);
  names("only in B", diff.only_in_b);
  names("another size or live range", diff.changed);
  if (diff.identical()) out += "the plans place every buffer in the same place\n";
  return out;
}

}  // namespace arenaplan
