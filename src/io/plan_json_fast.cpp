#include "io/plan_json_fast.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "io/json_fields.h"
#include "problem/name_index.h"

namespace arenaplan {
namespace {

namespace od = simdjson::ondemand;

// simdjson's on-demand reader: one pass over the text, no document tree (for a plan of a million
// buffers the tree was most of the memory the check touched). Anything it cannot take as is
// returns false and the caller hands the file to the full reader.

// True when a key is `name` as written, unescaped. A key with an escape matches nothing, and an
// unknown key with one sends the file to the full reader (which would unescape it).
bool key_is(od::raw_json_string key, std::string_view name) { return key == name; }
bool has_escape(od::raw_json_string key) {
  for (const char* c = key.raw(); *c != '"'; ++c)
    if (*c == '\\') return true;
  return false;
}

// Calls `take(key, value)` on each field of `object` in order; false at the first failure.
template <typename Take>
bool each_field(od::object object, Take take) {
  for (auto field : object) {
    od::raw_json_string key;
    od::value value;
    if (field.key().get(key) != simdjson::SUCCESS || field.value().get(value) != simdjson::SUCCESS || !take(key, value))
      return false;
  }
  return true;
}

// The same for the object `v` (false when it is none).
template <typename Take>
bool each_field(od::value v, Take take) {
  od::object object;
  return v.get_object().get(object) == simdjson::SUCCESS && each_field(object, take);
}

// Calls `take(item)` on each item of the array `v` in order; false when `v` is not an array or at
// the first failure.
template <typename Take>
bool each_item(od::value v, Take take) {
  od::array array;
  if (v.get_array().get(array) != simdjson::SUCCESS) return false;
  for (auto item : array) {
    od::value value;
    if (item.get(value) != simdjson::SUCCESS || !take(value)) return false;
  }
  return true;
}

// A value the fast reader does not use, checked as nlohmann would (on-demand skipping checks only
// the brackets, so "[tru]" would pass unread), inside `depth` containers: deeper than
// `max_depth` (the nesting limit) is left to the full reader, which words the refusal.
bool valid(od::value v, std::int64_t depth, std::int64_t max_depth) {
  od::json_type type;
  if (depth > max_depth || v.type().get(type) != simdjson::SUCCESS) return false;
  switch (type) {
    case od::json_type::object:
      return each_field(v, [&](od::raw_json_string key, od::value value) {
        return !has_escape(key) && valid(value, depth + 1, max_depth);
      });
    case od::json_type::array: return each_item(v, [&](od::value value) { return valid(value, depth + 1, max_depth); });
    case od::json_type::number: return v.get_double().error() == simdjson::SUCCESS;
    case od::json_type::string: return v.get_string().error() == simdjson::SUCCESS;
    case od::json_type::boolean: return v.get_bool().error() == simdjson::SUCCESS;
    case od::json_type::null: {
      bool null = false;
      return v.is_null().get(null) == simdjson::SUCCESS && null;
    }
  }
  return false;
}

// What json_fields::to_int accepts: an integer that fits 64 signed bits.
bool int_of(od::value v, std::int64_t& out) { return v.get_int64().get(out) == simdjson::SUCCESS; }

// An integer, or null as nullopt.
bool int_or_null(od::value v, std::optional<std::int64_t>& out) {
  bool null = false;
  if (v.is_null().get(null) == simdjson::SUCCESS && null) {
    out.reset();
    return true;
  }
  std::int64_t value = 0;
  if (!int_of(v, value)) return false;
  out = value;
  return true;
}

// What json_fields::string_of accepts: a string, or an integer (numeric names).
bool name_of(od::value v, std::string& out) {
  od::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS) return false;
  if (type == od::json_type::string) {
    std::string_view s;
    if (v.get_string().get(s) != simdjson::SUCCESS) return false;
    out.assign(s);
    return true;
  }
  if (type != od::json_type::number) return false;
  std::int64_t i = 0;
  if (v.get_int64().get(i) == simdjson::SUCCESS) {
    out = fmt::format("{}", i);
    return true;
  }
  std::uint64_t u = 0;
  if (v.get_uint64().get(u) != simdjson::SUCCESS) return false;
  out = fmt::format("{}", u);
  return true;
}

bool string_of(od::value v, std::string_view& out) { return v.get_string().get(out) == simdjson::SUCCESS; }

// Marks field `k` of an object as seen; false when it was seen already (nlohmann keeps the last of
// a repeated key, a forward reader the first: such a file goes to the full reader).
bool first_time(std::uint32_t& seen, int k) {
  if (seen & (1u << k)) return false;
  seen |= 1u << k;
  return true;
}

// One entry of "buffers" as it is written.
struct Entry {
  std::string name, pool;
  std::int64_t offset = 0;
  std::optional<std::int64_t> size, alignment;
  std::optional<std::string_view> kind;
  bool has_live = false;
  std::vector<Interval> live;
};

bool read_live(od::value v, std::vector<Interval>& live) {
  live.clear();
  return each_item(v, [&](od::value range) {
    std::int64_t at[2] = {0, 0};
    int n = 0;
    return each_item(range, [&](od::value bound) { return n < 2 && int_of(bound, at[n++]); }) && n == 2 &&
           (live.push_back({at[0], at[1]}), true);
  });
}

bool read_entry(od::value v, Entry& e, std::int64_t max_depth) {
  std::uint32_t seen = 0;
  e.size.reset();
  e.alignment.reset();
  e.kind.reset();
  e.has_live = false;
  const bool read = each_field(v, [&](od::raw_json_string key, od::value value) {
    if (key_is(key, "name")) return first_time(seen, 0) && name_of(value, e.name);
    if (key_is(key, "pool")) return first_time(seen, 1) && name_of(value, e.pool);
    if (key_is(key, "offset")) return first_time(seen, 2) && int_of(value, e.offset);
    if (key_is(key, "size_bytes")) return first_time(seen, 3) && int_or_null(value, e.size);
    if (key_is(key, "alignment")) return first_time(seen, 4) && int_or_null(value, e.alignment);
    if (key_is(key, "kind")) return first_time(seen, 5) && string_of(value, e.kind.emplace());
    if (key_is(key, "live")) return first_time(seen, 6) && (e.has_live = true) && read_live(value, e.live);
    if (key_is(key, "alias_of")) return false;  // tensor aliases (plans of models, small) go to the full reader
    return !has_escape(key) && valid(value, 3, max_depth);
  });
  return read && (seen & 7u) == 7u;  // name, pool and offset are required
}

// True when the buffer fields the entry states (size, alignment, kind, live ranges) are the problem's.
bool states_the_problem(const Entry& e, const Buffer& b) {
  if (e.size && *e.size != b.size) return false;
  if (e.alignment && *e.alignment != b.alignment) return false;
  if (e.kind && *e.kind != to_string(b.kind)) return false;
  const auto same = [](const Interval& x, const Interval& y) { return x.first == y.first && x.last == y.last; };
  return !e.has_live || std::equal(e.live.begin(), e.live.end(), b.live.begin(), b.live.end(), same);
}

// One entry of "pools" as it is written; checked once the placements give the pool sizes.
struct StatedPool {
  std::string name;
  std::optional<std::int64_t> size, alignment, limit;
  std::optional<std::string_view> kind;
  bool has_limit = false;
};

bool read_pool(od::value v, StatedPool& p, std::int64_t max_depth) {
  std::uint32_t seen = 0;
  const bool read = each_field(v, [&](od::raw_json_string key, od::value value) {
    if (key_is(key, "name")) return first_time(seen, 0) && name_of(value, p.name);
    if (key_is(key, "size_bytes")) return first_time(seen, 1) && int_or_null(value, p.size);
    if (key_is(key, "kind")) return first_time(seen, 2) && string_of(value, p.kind.emplace());
    if (key_is(key, "alignment")) return first_time(seen, 3) && int_or_null(value, p.alignment);
    if (key_is(key, "limit_bytes")) return first_time(seen, 4) && (p.has_limit = true) && int_or_null(value, p.limit);
    return !has_escape(key) && valid(value, 3, max_depth);
  });
  return read && (seen & 1u) != 0;  // the name is required
}

// The stated pools agree with the problem's pools and with the sizes the placements give.
// Anything that disagrees goes to the full reader, which words the mismatch.
bool pools_agree(const std::vector<StatedPool>& stated, const Problem& problem, const Plan& plan,
                 std::optional<std::int64_t> total_bytes) {
  std::vector<bool> listed(problem.pools.size(), false);
  Bytes total = 0;
  for (const StatedPool& s : stated) {
    auto p = problem.find_pool(s.name);
    if (!p || listed[static_cast<std::size_t>(*p)]) return false;
    listed[static_cast<std::size_t>(*p)] = true;
    const Pool& pool = problem.pools[static_cast<std::size_t>(*p)];
    if (s.kind && *s.kind != to_string(pool.kind)) return false;
    if (s.alignment && *s.alignment != pool.alignment) return false;
    if (s.has_limit && s.limit != pool.limit) return false;
    if (!s.size) continue;
    if (*s.size != plan.pool_sizes[static_cast<std::size_t>(*p)]) return false;
    total += *s.size;
  }
  if (std::find(listed.begin(), listed.end(), false) != listed.end()) return false;
  return !total_bytes || *total_bytes == total;
}

}  // namespace

std::optional<Plan> parse_plan_json_fast(const std::string& text, const std::string& path, const Problem& problem,
                                         std::optional<std::string>& mismatch, const InputLimits& limits) {
  // The entries' live ranges are 5 containers deep: a lower limit is the full reader's to word.
  if (limits.max_nesting < 5) return std::nullopt;
  // In place when the text has simdjson's padding after it (read_file leaves room), else a copy.
  simdjson::padded_string copy;
  simdjson::padded_string_view view(text);
  if (view.padding() < simdjson::SIMDJSON_PADDING) {
    copy = simdjson::padded_string(text);
    view = copy;
  }
  od::parser parser;
  od::document doc;
  od::object root;
  if (parser.iterate(view).get(doc) != simdjson::SUCCESS || doc.get_object().get(root) != simdjson::SUCCESS)
    return std::nullopt;

  Plan plan;
  plan.placements.assign(problem.buffers.size(), Placement{});
  std::optional<std::string> found;
  auto note = [&](std::string what) {
    if (!found) found = std::move(what);
  };
  BufferLookup index(problem);
  std::vector<bool> seen_buffer(problem.buffers.size(), false);
  std::vector<StatedPool> pools;
  bool has_pools = false;
  std::optional<std::int64_t> total_bytes, lower_bound;
  std::uint32_t seen = 0;
  Entry e;
  std::size_t k = 0;
  std::int64_t total = 0;
  // One entry of "buffers": its placement, or the first mismatch noted; false for the full reader.
  auto place = [&](od::value entry) {
    // Counted against the limits as json_fields::check_buffer_counts counts (which the full
    // reader runs first): sizes from 2^59 up it reads its own way.
    if (static_cast<std::int64_t>(k) + 1 > json_fields::buffer_count_limit(limits))
      json_fields::too_many_buffers(path, limits);
    if (!read_entry(entry, e, limits.max_nesting) || (e.size && *e.size >= (std::int64_t{1} << 59))) return false;
    total += std::max<std::int64_t>(e.size.value_or(0), 0);
    if (total > json_fields::total_bytes_limit(limits)) json_fields::too_many_bytes(path, limits);
    const auto i = index.find(k++, e.name);
    if (!i) {
      note(fmt::format("the plan places buffer '{}', which the problem does not have", e.name));
      return true;
    }
    const auto b = static_cast<std::size_t>(*i);
    if (seen_buffer[b]) {
      note(fmt::format("buffer '{}' is placed more than once", e.name));
      return true;
    }
    seen_buffer[b] = true;
    auto p = problem.find_pool(e.pool);
    if (!p) {
      note(fmt::format("buffer '{}' is placed in pool '{}', which the problem does not have", e.name, e.pool));
      return true;
    }
    if (!states_the_problem(e, problem.buffers[b])) return false;
    plan.placements[b] = {*p, e.offset};
    return true;
  };
  const bool read = each_field(root, [&](od::raw_json_string key, od::value value) {
    if (key_is(key, "algorithm")) {
      od::json_type type;
      if (!first_time(seen, 0) || value.type().get(type) != simdjson::SUCCESS) return false;
      if (type != od::json_type::string) return valid(value, 1, limits.max_nesting);  // not read, as nlohmann
      std::string_view algorithm;
      if (!string_of(value, algorithm)) return false;
      plan.algorithm = std::string(algorithm);
      return true;
    }
    if (key_is(key, "total_bytes")) return first_time(seen, 1) && int_or_null(value, total_bytes);
    if (key_is(key, "lower_bound_bytes")) return first_time(seen, 2) && int_or_null(value, lower_bound);
    if (key_is(key, "pools"))
      return first_time(seen, 3) && (has_pools = true) && each_item(value, [&](od::value entry) {
               return read_pool(entry, pools.emplace_back(), limits.max_nesting);
             });
    if (key_is(key, "buffers")) return first_time(seen, 4) && each_item(value, place);
    return !has_escape(key) && valid(value, 1, limits.max_nesting);
  });
  if (!read) return std::nullopt;
  // Text after the object (the iterator is not at the end), or no "buffers".
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS || !(seen & (1u << 4))) return std::nullopt;
  compute_pool_sizes(problem, plan);
  // Pool sizes as the plan states them: the checker verifies they cover their buffers.
  if (has_pools && !pools_agree(pools, problem, plan, total_bytes)) return std::nullopt;
  if (lower_bound && *lower_bound > plan.total_size()) return std::nullopt;
  if (!mismatch) mismatch = std::move(found);
  return plan;
}

}  // namespace arenaplan
