// Problem JSON: TVM USMP-style pools and buffers (DESIGN.md §5), with optional live ranges.
#include "arenaplan/io.h"
#include "io/files.h"
#include "io/json_fields.h"
#include "problem/named_problem.h"

namespace arenaplan {
namespace {

using namespace json_fields;

Pool read_pool(const json& j, const std::string& file, const std::string& where) {
  object_of(j, file, where);
  Pool pool;
  pool.name = string_of(required(j, "name", file, where), file, where + ".name");
  // TVM calls the limit size_hint_bytes; our own plans call it limit_bytes.
  pool.limit = optional_int(j, "size_hint_bytes", file, where);
  if (!pool.limit) pool.limit = optional_int(j, "limit_bytes", file, where);
  if (pool.limit && *pool.limit == -1) pool.limit.reset();  // TVM's "unrestricted"
  pool.alignment = optional_int(j, "alignment", file, where).value_or(1);
  if (auto it = j.find("kind"); it != j.end() && !it->is_null()) {
    const std::string kind = string_of(*it, file, where + ".kind");
    auto parsed = parse_pool_kind(kind);
    if (!parsed)
      fail(file, where + ".kind", fmt::format("unknown pool kind '{}' (workspace, constant, persistent)", kind));
    pool.kind = *parsed;
  }
  return pool;
}

NamedBuffer read_buffer(const json& j, const std::string& file, const std::string& where) {
  object_of(j, file, where);
  NamedBuffer raw;
  Buffer& b = raw.buffer;
  b.name = string_of(required(j, "name", file, where), file, where + ".name");
  const std::string at = where + " ('" + b.name + "')";
  b.size = to_int(required(j, "size_bytes", file, at), file, at + ".size_bytes");
  b.alignment = optional_int(j, "alignment", file, at).value_or(1);
  if (auto it = j.find("kind"); it != j.end() && !it->is_null()) {
    const std::string kind = string_of(*it, file, at + ".kind");
    auto parsed = parse_buffer_kind(kind);
    if (!parsed)
      fail(file, at + ".kind",
           fmt::format("unknown buffer kind '{}' (activation, scratch, input, output, constant, variable)", kind));
    b.kind = *parsed;
  }
  if (auto it = j.find("conflicts"); it != j.end() && !it->is_null()) {
    for (const json& c : array_of(*it, file, at + ".conflicts"))
      raw.conflicts.push_back(string_of(c, file, at + ".conflicts[]"));
  }
  if (auto it = j.find("pool_candidates"); it != j.end() && !it->is_null()) {
    raw.pools.emplace();
    for (const json& p : array_of(*it, file, at + ".pool_candidates"))
      raw.pools->push_back(string_of(p, file, at + ".pool_candidates[]"));
  }
  if (auto it = j.find("live"); it != j.end() && !it->is_null()) {
    for (const json& r : array_of(*it, file, at + ".live")) {
      if (!r.is_array() || r.size() != 2) fail(file, at + ".live", "each live range must be [first, last]");
      b.live.push_back({to_int(r[0], file, at + ".live"), to_int(r[1], file, at + ".live")});
    }
  }
  if (auto it = j.find("overlaps"); it != j.end() && !it->is_null()) {
    const json& list = array_of(*it, file, at + ".overlaps");
    for (std::size_t k = 0; k < list.size(); ++k) {
      const std::string item = fmt::format("{}.overlaps[{}]", at, k);
      object_of(list[k], file, item);
      raw.overlaps.emplace_back(string_of(required(list[k], "with", file, item), file, item + ".with"),
                                to_int(required(list[k], "distance", file, item), file, item + ".distance"));
    }
  }
  b.fixed_offset = optional_int(j, "fixed_offset", file, at);
  b.tensor = optional_int(j, "tensor", file, at);
  b.op = optional_int(j, "operator", file, at);
  return raw;
}

}  // namespace

Problem read_problem_json(const std::string& path, const InputLimits& limits) {
  return parse_problem_json(read_file(path, limits), path, limits);
}

Problem parse_problem_json(const std::string& text, const std::string& path, const InputLimits& limits) {
  const json root = parse(text, path, limits, true);
  object_of(root, path, "top level");
  Problem problem;
  if (auto it = root.find("pools"); it != root.end() && !it->is_null()) {
    const json& pools = array_of(*it, path, "pools");
    for (std::size_t i = 0; i < pools.size(); ++i)
      problem.pools.push_back(read_pool(pools[i], path, fmt::format("pools[{}]", i)));
  }
  const json& buffers = array_of(required(root, "buffers", path, "top level"), path, "buffers");
  std::vector<NamedBuffer> raw;
  raw.reserve(buffers.size());
  for (std::size_t i = 0; i < buffers.size(); ++i)
    raw.push_back(read_buffer(buffers[i], path, fmt::format("buffers[{}]", i)));
  return resolve_names(std::move(problem.pools), std::move(raw), path);
}

}  // namespace arenaplan
