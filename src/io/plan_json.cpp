// Plan JSON (DESIGN.md §5). Stable: fields may be added, never renamed.
#include <algorithm>
#include <ostream>
#include <unordered_map>

#include "arenaplan/io.h"
#include "io/files.h"
#include "io/json_fields.h"
#include "io/json_writer.h"
#include "io/plan_json_fast.h"

namespace arenaplan {

using json_fields::json;

namespace {

// What a plan states about one of its buffers (size, alignment, kind, live ranges) must be what
// the problem says.
template <typename Note>
void stated_buffer(const json& j, const std::string& path, const std::string& where, const Buffer& b, Note& note) {
  using namespace json_fields;
  if (const auto size = optional_int(j, "size_bytes", path, where); size && *size != b.size)
    note(fmt::format("buffer '{}' is {} bytes, the plan states {}", b.name, b.size, *size));
  if (const auto a = optional_int(j, "alignment", path, where); a && *a != b.alignment)
    note(fmt::format("buffer '{}' has alignment {}, the plan states {}", b.name, b.alignment, *a));
  const auto kind = j.find("kind");
  if (kind != j.end() && (!kind->is_string() || parse_buffer_kind(kind->get<std::string>()) != b.kind))
    note(fmt::format("buffer '{}' is a {} buffer, the plan states kind {}", b.name, to_string(b.kind), kind->dump()));
  if (const auto live = j.find("live"); live != j.end()) {
    std::vector<Interval> stated;
    for (const json& r : array_of(*live, path, where + ".live")) {
      if (!r.is_array() || r.size() != 2) fail(path, where + ".live", "each live range must be [first, last]");
      stated.push_back({to_int(r[0], path, where + ".live"), to_int(r[1], path, where + ".live")});
    }
    const auto same = [](const Interval& x, const Interval& y) { return x.first == y.first && x.last == y.last; };
    if (!std::equal(stated.begin(), stated.end(), b.live.begin(), b.live.end(), same))
      note(fmt::format("buffer '{}': the plan states other live ranges than the problem", b.name));
  }
}

// The fields before "buffers" and after it: a plan JSON and its summary have them alike.
void write_head(json_writer::Writer& w, const Problem& problem, const Plan& plan) {
  w.field("algorithm", plan.algorithm);
  w.field("optimal", plan.optimal);
  w.field("lower_bound_bytes", plan.lower_bound);
  w.field("whole_tensor_lower_bound_bytes", plan.whole_tensor_bound);
  w.field("total_bytes", plan.total_size());
  w.key("pools");
  w.begin_array();
  for (std::size_t p = 0; p < problem.pools.size(); ++p) {
    const Pool& pool = problem.pools[p];
    w.begin_flat_object();
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
}

void write_tail(json_writer::Writer& w, const Plan& plan, bool timing) {
  w.field("solve_seconds", timing ? plan.solve_seconds : 0.0);
  w.field("stopped_by", to_string(plan.stopped_by));
  w.field("work_units", plan.work_units);
}

}  // namespace

void write_plan_json(const Problem& problem, const Plan& plan, std::ostream& out, bool timing,
                     const std::vector<TensorAlias>& aliases) {
  json_writer::Writer w(out);
  w.begin_object();
  write_head(w, problem, plan);
  w.key("buffers");
  w.begin_array();
  // The fields every entry has: buffer i's placement under `name`, with `size` bytes.
  auto placed = [&](std::size_t i, std::string_view name, Bytes size, Bytes into = 0) {
    const Buffer& b = problem.buffers[i];
    const Placement& place = plan.placements[i];
    w.field("name", name);
    w.field("pool", place.pool >= 0 ? std::string_view(problem.pools[place.pool].name) : std::string_view());
    w.field("offset", place.offset + into);
    w.field("size_bytes", size);
    w.field("alignment", b.alignment);
    w.field("kind", to_string(b.kind));
  };
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    const Buffer& b = problem.buffers[i];
    w.begin_flat_object();
    placed(i, b.name, b.size);
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
  for (const TensorAlias& a : aliases) {
    const auto i = static_cast<std::size_t>(a.buffer);
    w.begin_flat_object();
    placed(i, a.name, a.size, a.offset);
    w.field("tensor", a.tensor);
    w.field("alias_of", problem.buffers[i].name);
    if (a.offset != 0) w.field("alias_offset", a.offset);
    w.end_object();
  }
  w.end_array();
  write_tail(w, plan, timing);
  w.end_object();
  w.flush();
  out << '\n';
}

void write_plan_summary_json(const Problem& problem, const Plan& plan, std::ostream& out, bool timing,
                             const std::string& plan_file, const std::vector<TensorAlias>& aliases) {
  json_writer::Writer w(out);
  w.begin_object();
  write_head(w, problem, plan);
  w.field("buffer_count", problem.buffers.size() + aliases.size());
  w.field("plan_file", plan_file);
  write_tail(w, plan, timing);
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
  check_no_nul(text, path);
  if (auto plan = parse_plan_json_fast(text, path, problem, mismatch, limits)) return std::move(*plan);
  const json root = parse(text, path, limits, true);
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

  struct Alias {
    std::string name, of, pool;
    std::int64_t offset, into, size;
  };
  std::vector<Alias> aliases;
  const json& buffers = array_of(required(root, "buffers", path, "top level"), path, "buffers");
  for (std::size_t k = 0; k < buffers.size(); ++k) {
    const std::string where = fmt::format("buffers[{}]", k);
    const json& j = object_of(buffers[k], path, where);
    const std::string name = string_of(required(j, "name", path, where), path, where + ".name");
    const std::string pool = string_of(required(j, "pool", path, where), path, where + ".pool");
    const std::int64_t offset = to_int(required(j, "offset", path, where), path, where + ".offset");
    if (auto of = j.find("alias_of"); of != j.end()) {
      const auto into = j.find("alias_offset");
      const auto size = j.find("size_bytes");
      aliases.push_back({name, string_of(*of, path, where + ".alias_of"), pool, offset,
                         into == j.end() ? 0 : to_int(*into, path, where + ".alias_offset"),
                         size == j.end() ? 0 : to_int(*size, path, where + ".size_bytes")});
      continue;
    }
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
    stated_buffer(j, path, where, problem.buffers[it->second], note);
  }
  // A tensor alias holds no bytes of its own: it must sit exactly on the buffer it names.
  for (const Alias& a : aliases) {
    auto it = buffer_index.find(a.of);
    if (it == buffer_index.end()) {
      note(fmt::format("tensor '{}' is an alias of '{}', which the problem does not have", a.name, a.of));
      continue;
    }
    const Placement& target = plan.placements[static_cast<std::size_t>(it->second)];
    const auto p = problem.find_pool(a.pool);
    const Bytes target_size = problem.buffers[static_cast<std::size_t>(it->second)].size;
    // A slice (alias_offset > 0, an in-place CONCATENATION's input) lies inside the buffer at its offset.
    if (!p || *p != target.pool || a.into < 0 || a.size < 0 || a.into > target_size || a.size > target_size - a.into ||
        a.offset - a.into != target.offset)
      note(fmt::format("tensor '{}' ({} bytes) is placed at {}+{}, not {} bytes into the buffer '{}' it is an alias of",
                       a.name, a.size, a.pool, a.offset, a.into, a.of));
  }
  compute_pool_sizes(problem, plan);
  // The pools as the plan states them: every pool of the problem once, with its kind, limit and
  // alignment, and the size its buffers need.
  if (auto it = root.find("pools"); it != root.end() && it->is_array()) {
    std::vector<bool> listed(problem.pools.size(), false);
    Bytes total = 0;
    for (std::size_t k = 0; k < it->size(); ++k) {
      const std::string where = fmt::format("pools[{}]", k);
      const json& j = object_of((*it)[k], path, where);
      const std::string name = string_of(required(j, "name", path, where), path, where + ".name");
      auto p = problem.find_pool(name);
      if (!p) {
        note(fmt::format("the plan has pool '{}', which the problem does not have", name));
        continue;
      }
      if (listed[*p]) note(fmt::format("the plan lists pool '{}' twice", name));
      listed[*p] = true;
      const Pool& pool = problem.pools[*p];
      const auto kind = j.find("kind");
      if (kind != j.end() && (!kind->is_string() || parse_pool_kind(kind->get<std::string>()) != pool.kind))
        note(fmt::format("pool '{}' is a {} pool, the plan states kind {}", name, to_string(pool.kind), kind->dump()));
      if (const auto a = optional_int(j, "alignment", path, where); a && *a != pool.alignment)
        note(fmt::format("pool '{}' has alignment {}, the plan states {}", name, pool.alignment, *a));
      if (const auto limit = j.find("limit_bytes"); limit != j.end()) {
        const std::optional<Bytes> stated = optional_int(j, "limit_bytes", path, where);
        if (stated != pool.limit)
          note(fmt::format("pool '{}' has limit {}, the plan states {}", name,
                           pool.limit ? std::to_string(*pool.limit) : "none", limit->dump()));
      }
      if (auto size = optional_int(j, "size_bytes", path, where)) {
        if (*size != plan.pool_sizes[*p])
          note(fmt::format("pool '{}': the plan states {} bytes, its buffers end at {}", name, *size,
                           plan.pool_sizes[*p]));
        plan.pool_sizes[*p] = *size;
        total += *size;
      }
    }
    for (std::size_t p = 0; p < listed.size(); ++p)
      if (!listed[p]) note(fmt::format("the plan does not list pool '{}'", problem.pools[p].name));
    if (const auto stated = optional_int(root, "total_bytes", path, "top level"); stated && *stated != total)
      note(fmt::format("the plan states total_bytes {}, its pools add up to {}", *stated, total));
  }
  if (const auto bound = optional_int(root, "lower_bound_bytes", path, "top level");
      bound && *bound > plan.total_size())
    note(fmt::format("the plan states a lower bound of {} bytes, above its own {} bytes", *bound, plan.total_size()));
  return plan;
}

}  // namespace arenaplan
