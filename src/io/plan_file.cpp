// A plan JSON read on its own (without its problem): for comparing and drawing plans.
#include <algorithm>
#include <limits>
#include <unordered_map>

#include "arenaplan/io.h"
#include "io/files.h"
#include "io/json_fields.h"

namespace arenaplan {

PlanFile read_plan_file(const std::string& path, const InputLimits& limits) {
  using namespace json_fields;
  const json root = parse(read_file(path, limits), path, limits, true);
  object_of(root, path, "top level");
  PlanFile file;
  file.path = path;
  Problem& problem = file.problem;
  Plan& plan = file.plan;
  if (auto it = root.find("algorithm"); it != root.end() && it->is_string()) plan.algorithm = it->get<std::string>();
  if (auto it = root.find("optimal"); it != root.end() && it->is_boolean()) plan.optimal = it->get<bool>();
  plan.lower_bound = optional_int(root, "lower_bound_bytes", path, "top level").value_or(0);
  plan.whole_tensor_bound =
      optional_int(root, "whole_tensor_lower_bound_bytes", path, "top level").value_or(plan.lower_bound);

  std::vector<Bytes> stated_sizes;
  const json& pools = array_of(required(root, "pools", path, "top level"), path, "pools");
  for (std::size_t k = 0; k < pools.size(); ++k) {
    const std::string where = fmt::format("pools[{}]", k);
    const json& j = object_of(pools[k], path, where);
    Pool pool;
    pool.name = string_of(required(j, "name", path, where), path, where + ".name");
    if (problem.find_pool(pool.name)) fail(path, where, fmt::format("pool '{}' appears twice", pool.name));
    if (auto it = j.find("kind"); it != j.end() && it->is_string())
      pool.kind = parse_pool_kind(it->get<std::string>()).value_or(PoolKind::workspace);
    pool.limit = optional_int(j, "limit_bytes", path, where);
    pool.alignment = optional_int(j, "alignment", path, where).value_or(1);
    stated_sizes.push_back(optional_int(j, "size_bytes", path, where).value_or(0));
    problem.pools.push_back(std::move(pool));
  }

  std::unordered_map<std::string, std::size_t> seen;
  const json& buffers = array_of(required(root, "buffers", path, "top level"), path, "buffers");
  for (std::size_t k = 0; k < buffers.size(); ++k) {
    const std::string where = fmt::format("buffers[{}]", k);
    const json& j = object_of(buffers[k], path, where);
    if (j.contains("alias_of")) continue;  // a tensor on another buffer's bytes
    Buffer b;
    b.name = string_of(required(j, "name", path, where), path, where + ".name");
    if (!seen.emplace(b.name, problem.buffers.size()).second)
      fail(path, where, fmt::format("buffer '{}' appears twice", b.name));
    const std::string pool = string_of(required(j, "pool", path, where), path, where + ".pool");
    const auto p = problem.find_pool(pool);
    if (!p) fail(path, where + ".pool", fmt::format("no pool named '{}'", pool));
    b.pools = {*p};
    b.size = to_int(required(j, "size_bytes", path, where), path, where + ".size_bytes");
    const Bytes offset = to_int(required(j, "offset", path, where), path, where + ".offset");
    if (b.size < 0 || offset < 0) fail(path, where, "sizes and offsets must not be negative");
    if (offset > std::numeric_limits<Bytes>::max() - b.size) fail(path, where, "offset + size overflows 64 bits");
    b.alignment = optional_int(j, "alignment", path, where).value_or(1);
    if (auto it = j.find("kind"); it != j.end() && it->is_string())
      b.kind = parse_buffer_kind(it->get<std::string>()).value_or(BufferKind::activation);
    if (auto it = j.find("live"); it != j.end()) {
      const json& live = array_of(*it, path, where + ".live");
      for (std::size_t r = 0; r < live.size(); ++r) {
        const std::string at = fmt::format("{}.live[{}]", where, r);
        const json& range = array_of(live[r], path, at);
        if (range.size() != 2) fail(path, at, "expected [first, last]");
        const Step first = to_int(range[0], path, at), last = to_int(range[1], path, at);
        if (last < first) fail(path, at, "the range ends before it starts");
        b.live.push_back({first, last});
      }
    }
    b.tensor = optional_int(j, "tensor", path, where);
    b.op = optional_int(j, "operator", path, where);
    problem.buffers.push_back(std::move(b));
    plan.placements.push_back({*p, offset});
  }
  // Overlap allowances name buffers that may come later in the file.
  for (std::size_t k = 0, index = 0; k < buffers.size(); ++k) {
    if (buffers[k].contains("alias_of")) continue;
    const std::size_t self = index++;
    auto it = buffers[k].find("overlaps");
    if (it == buffers[k].end() || it->is_null()) continue;
    const json& list = array_of(*it, path, fmt::format("buffers[{}].overlaps", k));
    for (std::size_t a = 0; a < list.size(); ++a) {
      const std::string where = fmt::format("buffers[{}].overlaps[{}]", k, a);
      const std::string with = string_of(required(object_of(list[a], path, where), "with", path, where), path, where);
      auto other = seen.find(with);
      if (other == seen.end()) fail(path, where + ".with", fmt::format("no buffer named '{}'", with));
      problem.buffers[self].overlaps.push_back(
          {static_cast<std::int32_t>(other->second), to_int(required(list[a], "distance", path, where), path, where)});
    }
  }
  compute_pool_sizes(problem, plan);
  for (std::size_t p = 0; p < plan.pool_sizes.size(); ++p)
    plan.pool_sizes[p] = std::max(plan.pool_sizes[p], stated_sizes[p]);
  return file;
}

}  // namespace arenaplan
