// Plan JSON (DESIGN.md §5). Stable: fields may be added, never renamed.
#include <ostream>
#include <unordered_map>

#include "arenaplan/io.h"
#include "io/files.h"
#include "io/json_fields.h"
#include "io/json_writer.h"
#include "io/plan_json_fast.h"

namespace arenaplan {

using json_fields::json;

void write_plan_json(const Problem& problem, const Plan& plan, std::ostream& out, bool timing) {
  json_writer::Writer w(out);
  w.begin_object();
  w.field("algorithm", plan.algorithm);
  w.field("optimal", plan.optimal);
  w.field("lower_bound_bytes", plan.lower_bound);
  w.field("whole_tensor_lower_bound_bytes", plan.whole_tensor_bound);
  w.field("total_bytes", plan.total_size());
  w.key("pools");
  w.begin_array();
  for (std::size_t p = 0; p < problem.pools.size(); ++p) {
    const Pool& pool = problem.pools[p];
    w.begin_object();
    w.field("name", pool.name);
    w.field("kind", to_string(pool.kind));
    w.field("size_bytes", p < plan.pool_sizes.size() ? plan.pool_sizes[p] : Bytes{0});
    w.key("limit_bytes");
    if (pool.limit)
      w.value(*pool.limit);
    else
      w.null();
    w.field("alignment", pool.alignment);
    w.end_object();
  }
  w.end_array();
  w.key("buffers");
  w.begin_array();
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    const Buffer& b = problem.buffers[i];
    const Placement& place = plan.placements[i];
    w.begin_object();
    w.field("name", b.name);
    w.field("pool", place.pool >= 0 ? std::string_view(problem.pools[place.pool].name) : std::string_view());
    w.field("offset", place.offset);
    w.field("size_bytes", b.size);
    w.field("alignment", b.alignment);
    w.field("kind", to_string(b.kind));
    w.key("live");
    w.begin_array();
    for (const Interval& r : b.live) {
      w.begin_array();
      w.value(r.first);
      w.value(r.last);
      w.end_array();
    }
    w.end_array();
    if (!b.overlaps.empty()) {
      w.key("overlaps");
      w.begin_array();
      for (const OverlapAllowance& a : b.overlaps) {
        w.begin_object();
        w.field("with", problem.buffers[static_cast<std::size_t>(a.with)].name);
        w.field("distance", a.distance);
        w.end_object();
      }
      w.end_array();
    }
    if (b.tensor) { w.field("tensor", *b.tensor); }
    if (b.op) { w.field("operator", *b.op); }
    w.end_object();
  }
  w.end_array();
  w.field("solve_seconds", timing ? plan.solve_seconds : 0.0);
  w.field("stopped_by", to_string(plan.stopped_by));
  w.field("work_units", plan.work_units);
  w.end_object();
  w.flush();
  out << '\n';
}

Plan read_plan_json(const std::string& path, const Problem& problem, std::optional<std::string>& mismatch,
                    const InputLimits& limits) {
  return parse_plan_json(read_file(path, limits), path, problem, mismatch, limits);
}

Plan parse_plan_json(const std::string& text, const std::string& path, const Problem& problem,
                     std::optional<std::string>& mismatch, const InputLimits& limits) {
  using namespace json_fields;
  if (auto plan = parse_plan_json_fast(text, problem, mismatch)) {
    check_nesting(text, path, limits);
    return std::move(*plan);
  }
  const json root = parse(text, path, limits);
  object_of(root, path, "top level");
  Plan plan;
  if (auto it = root.find("algorithm"); it != root.end() && it->is_string()) plan.algorithm = it->get<std::string>();
  plan.placements.assign(problem.buffers.size(), Placement{});
  std::unordered_map<std::string, std::int32_t> buffer_index;
  for (std::size_t i = 0; i < problem.buffers.size(); ++i)
    buffer_index.emplace(problem.buffers[i].name, static_cast<std::int32_t>(i));
  std::vector<bool> seen(problem.buffers.size(), false);
  auto note = [&](std::string what) {
    if (!mismatch) mismatch = std::move(what);
  };

  const json& buffers = array_of(required(root, "buffers", path, "top level"), path, "buffers");
  for (std::size_t k = 0; k < buffers.size(); ++k) {
    const std::string where = fmt::format("buffers[{}]", k);
    const json& j = object_of(buffers[k], path, where);
    const std::string name = string_of(required(j, "name", path, where), path, where + ".name");
    const std::string pool = string_of(required(j, "pool", path, where), path, where + ".pool");
    const std::int64_t offset = to_int(required(j, "offset", path, where), path, where + ".offset");
    auto it = buffer_index.find(name);
    if (it == buffer_index.end()) {
      note(fmt::format("the plan places buffer '{}', which the problem does not have", name));
      continue;
    }
    if (seen[it->second]) {
      note(fmt::format("buffer '{}' is placed more than once", name));
      continue;
    }
    seen[it->second] = true;
    auto p = problem.find_pool(pool);
    if (!p) {
      note(fmt::format("buffer '{}' is placed in pool '{}', which the problem does not have", name, pool));
      continue;
    }
    plan.placements[it->second] = {*p, offset};
  }
  compute_pool_sizes(problem, plan);
  // Pool sizes as the plan states them: the checker verifies they cover their buffers.
  if (auto it = root.find("pools"); it != root.end() && it->is_array()) {
    for (std::size_t k = 0; k < it->size(); ++k) {
      const std::string where = fmt::format("pools[{}]", k);
      const json& j = object_of((*it)[k], path, where);
      const std::string name = string_of(required(j, "name", path, where), path, where + ".name");
      auto p = problem.find_pool(name);
      if (!p) {
        note(fmt::format("the plan has pool '{}', which the problem does not have", name));
        continue;
      }
      if (auto size = optional_int(j, "size_bytes", path, where)) plan.pool_sizes[*p] = *size;
    }
  }
  return plan;
}

}  // namespace arenaplan
