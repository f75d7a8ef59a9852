// Problem JSON: TVM USMP-style pools and buffers (DESIGN.md §5), with optional live ranges.
#include <unordered_map>

#include "arenaplan/io.h"
#include "io/files.h"
#include "io/json_fields.h"

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

struct RawBuffer {
  Buffer buffer;
  std::vector<std::string> conflicts;
  std::optional<std::vector<std::string>> pools;
  std::vector<std::pair<std::string, Bytes>> overlaps;  // (with, distance)
};

RawBuffer read_buffer(const json& j, const std::string& file, const std::string& where) {
  object_of(j, file, where);
  RawBuffer raw;
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

Problem read_problem_json(const std::string& path) { return parse_problem_json(read_file(path), path); }

Problem parse_problem_json(const std::string& text, const std::string& path) {
  const json root = parse(text, path, true);
  object_of(root, path, "top level");
  Problem problem;
  if (auto it = root.find("pools"); it != root.end() && !it->is_null()) {
    const json& pools = array_of(*it, path, "pools");
    for (std::size_t i = 0; i < pools.size(); ++i)
      problem.pools.push_back(read_pool(pools[i], path, fmt::format("pools[{}]", i)));
  }
  const json& buffers = array_of(required(root, "buffers", path, "top level"), path, "buffers");
  std::vector<RawBuffer> raw;
  raw.reserve(buffers.size());
  for (std::size_t i = 0; i < buffers.size(); ++i)
    raw.push_back(read_buffer(buffers[i], path, fmt::format("buffers[{}]", i)));

  // Default pools: one unlimited workspace pool, and a constant pool when constants need one.
  auto has_kind = [&](PoolKind kind) {
    for (const Pool& p : problem.pools)
      if (p.kind == kind) return true;
    return false;
  };
  bool wants_default = false, wants_constant = false;
  for (const RawBuffer& r : raw) {
    if (r.pools) continue;
    if (r.buffer.kind == BufferKind::constant)
      wants_constant = true;
    else
      wants_default = true;
  }
  if (wants_default && !has_kind(PoolKind::workspace) && !has_kind(PoolKind::persistent))
    problem.pools.push_back({"global_workspace", std::nullopt, 1, PoolKind::workspace});
  if (wants_constant && !has_kind(PoolKind::constant))
    problem.pools.push_back({"global_constants", std::nullopt, 1, PoolKind::constant});

  std::unordered_map<std::string, std::int32_t> pool_index, buffer_index;
  for (std::size_t i = 0; i < problem.pools.size(); ++i)
    pool_index.emplace(problem.pools[i].name, static_cast<std::int32_t>(i));
  for (std::size_t i = 0; i < raw.size(); ++i)
    if (!buffer_index.emplace(raw[i].buffer.name, static_cast<std::int32_t>(i)).second)
      fail(path, fmt::format("buffers[{}]", i), fmt::format("buffer '{}' is defined twice", raw[i].buffer.name));

  for (std::size_t i = 0; i < raw.size(); ++i) {
    Buffer& b = raw[i].buffer;
    const std::string at = fmt::format("buffers[{}] ('{}')", i, b.name);
    for (const std::string& name : raw[i].conflicts) {
      auto it = buffer_index.find(name);
      if (it == buffer_index.end()) fail(path, at + ".conflicts", fmt::format("unknown buffer '{}'", name));
      b.conflicts.push_back(it->second);
    }
    for (std::size_t k = 0; k < raw[i].overlaps.size(); ++k) {
      const auto& [name, distance] = raw[i].overlaps[k];
      auto it = buffer_index.find(name);
      if (it == buffer_index.end())
        fail(path, fmt::format("{}.overlaps[{}].with", at, k), fmt::format("unknown buffer '{}'", name));
      b.overlaps.push_back({it->second, distance});
    }
    if (raw[i].pools) {
      for (const std::string& name : *raw[i].pools) {
        auto it = pool_index.find(name);
        if (it == pool_index.end()) fail(path, at + ".pool_candidates", fmt::format("unknown pool '{}'", name));
        b.pools.push_back(it->second);
      }
    } else {
      for (std::size_t p = 0; p < problem.pools.size(); ++p) {
        const bool constant_pool = problem.pools[p].kind == PoolKind::constant;
        if (constant_pool == (b.kind == BufferKind::constant)) b.pools.push_back(static_cast<std::int32_t>(p));
      }
    }
    problem.buffers.push_back(std::move(b));
  }
  return problem;
}

}  // namespace arenaplan
