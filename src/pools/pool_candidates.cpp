// Which pools each buffer of a model may go to: by kind, in priority order, or by a --place rule.
#include <algorithm>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "pools/pools_internal.h"

namespace arenaplan::pools {
namespace {

PoolKind pool_kind_for(BufferKind kind) {
  return kind == BufferKind::constant ? PoolKind::constant : PoolKind::workspace;
}

std::string default_name(const std::vector<PoolSpec>& pools, std::string name) {
  auto taken = [&](const std::string& n) {
    return std::any_of(pools.begin(), pools.end(), [&](const PoolSpec& p) { return p.name == n; });
  };
  while (taken(name)) name = "default_" + name;
  return name;
}

}  // namespace

Candidates make_candidates(const Graph& graph, const LoweredModel& lowered, const PoolSetup& setup) {
  const Problem& problem = lowered.problem;
  check_pool_names(setup.pools, setup.where);
  Candidates out;
  out.pools = setup.pools;
  out.lists.resize(problem.buffers.size());
  out.rule.resize(problem.buffers.size());
  for (const PlaceRule& rule : setup.place) {
    const auto it =
        std::find_if(out.pools.begin(), out.pools.end(), [&](const PoolSpec& p) { return p.name == rule.pool; });
    if (it == out.pools.end())
      throw InputError(fmt::format("placement rule '{}': no pool named '{}' among the pools", rule.text, rule.pool));
  }
  std::vector<bool> rule_used(setup.place.size(), false);
  std::optional<std::int32_t> defaults[2];  // workspace, constant
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    const Buffer& b = problem.buffers[i];
    const PoolKind wanted = pool_kind_for(b.kind);
    for (std::size_t r = 0; r < setup.place.size() && out.lists[i].empty(); ++r) {
      const PlaceRule& rule = setup.place[r];
      const bool by_tensor =
          b.tensor && glob_match(rule.pattern, graph.tensors[static_cast<std::size_t>(*b.tensor)].name);
      if (!by_tensor && !glob_match(rule.pattern, b.name)) continue;
      rule_used[r] = true;
      const auto pool =
          std::find_if(out.pools.begin(), out.pools.end(), [&](const PoolSpec& p) { return p.name == rule.pool; });
      if (pool->kind != wanted)
        throw InputError(fmt::format("placement rule '{}': {} buffer '{}' cannot go to {} pool '{}'", rule.text,
                                     to_string(b.kind), b.name, to_string(pool->kind), pool->name));
      out.lists[i] = {static_cast<std::int32_t>(pool - out.pools.begin())};
      out.rule[i] = rule.text;
    }
    if (!out.lists[i].empty()) continue;
    bool any_of_kind = false;
    for (std::size_t p = 0; p < setup.pools.size(); ++p) {
      any_of_kind = any_of_kind || setup.pools[p].kind == wanted;
      if (setup.pools[p].admits(b.kind)) out.lists[i].push_back(static_cast<std::int32_t>(p));
    }
    if (!out.lists[i].empty()) continue;
    if (any_of_kind)
      throw InputError(fmt::format("{}: no {} pool takes {} buffers such as '{}' (add {} to a pool's kinds=)",
                                   setup.where, to_string(wanted), to_string(b.kind), b.name, to_string(b.kind)));
    auto& index = defaults[wanted == PoolKind::constant ? 1 : 0];
    if (!index) {
      PoolSpec spec;
      spec.name = default_name(out.pools, wanted == PoolKind::constant ? "constants" : "workspace");
      spec.kind = wanted;
      spec.alignment = b.alignment;
      out.pools.push_back(spec);
      index = static_cast<std::int32_t>(out.pools.size() - 1);
    }
    out.lists[i] = {*index};
  }
  for (std::size_t r = 0; r < setup.place.size(); ++r)
    if (!rule_used[r])
      out.warnings.push_back(fmt::format("placement rule '{}' matches no buffer", setup.place[r].text));
  return out;
}

}  // namespace arenaplan::pools
