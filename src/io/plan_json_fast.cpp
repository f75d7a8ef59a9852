#include "io/plan_json_fast.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string_view>

#include <fmt/format.h>
#include <simdjson.h>

#include "problem/name_index.h"

namespace arenaplan {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// The fields named `keys` of an object, absent as nullopt. False when `value` is not an object or
// a wanted key appears twice (nlohmann keeps the last one, simdjson's lookup the first: such a
// file goes to the slow reader).
template <std::size_t N>
bool fields_of(element value, const std::array<std::string_view, N>& keys, std::array<std::optional<element>, N>& out) {
  simdjson::dom::object object;
  if (value.get(object) != simdjson::SUCCESS) return false;
  out.fill(std::nullopt);
  for (auto field : object) {
    for (std::size_t k = 0; k < N; ++k) {
      if (field.key != keys[k]) continue;
      if (out[k]) return false;
      out[k] = field.value;
    }
  }
  return true;
}

bool is_null(const std::optional<element>& e) { return !e || e->is_null(); }

// What json_fields::string_of accepts: a string, or an integer (numeric names).
bool name_of(const std::optional<element>& e, std::string& out) {
  if (!e) return false;
  std::string_view s;
  if (e->get(s) == simdjson::SUCCESS) {
    out.assign(s);
    return true;
  }
  std::int64_t i = 0;
  std::uint64_t u = 0;
  if (e->type() == element_type::INT64 && e->get(i) == simdjson::SUCCESS) {
    out = fmt::format("{}", i);
    return true;
  }
  if (e->type() == element_type::UINT64 && e->get(u) == simdjson::SUCCESS) {
    out = fmt::format("{}", u);
    return true;
  }
  return false;
}

// What json_fields::to_int accepts.
bool int_of(const std::optional<element>& e, std::int64_t& out) {
  if (!e) return false;
  if (e->type() == element_type::INT64) return e->get(out) == simdjson::SUCCESS;
  std::uint64_t u = 0;
  if (e->type() != element_type::UINT64 || e->get(u) != simdjson::SUCCESS) return false;
  if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
  out = static_cast<std::int64_t>(u);
  return true;
}

// True when the buffer fields a plan states (size, alignment, kind, live ranges) are the problem's.
bool states_the_problem(const std::array<std::optional<element>, 8>& field, const Buffer& b) {
  std::int64_t value = 0;
  if (field[4] && (!int_of(field[4], value) || value != b.size)) return false;
  if (field[5] && (!int_of(field[5], value) || value != b.alignment)) return false;
  std::string_view kind;
  if (field[6] && (field[6]->get(kind) != simdjson::SUCCESS || kind != to_string(b.kind))) return false;
  if (!field[7]) return true;
  simdjson::dom::array live;
  if (field[7]->get(live) != simdjson::SUCCESS) return false;
  std::size_t r = 0;
  for (element range : live) {
    simdjson::dom::array pair;
    if (r >= b.live.size() || range.get(pair) != simdjson::SUCCESS || pair.size() != 2) return false;
    element at0, at1;
    if (pair.at(0).get(at0) != simdjson::SUCCESS || pair.at(1).get(at1) != simdjson::SUCCESS) return false;
    std::int64_t first = 0, last = 0;
    if (!int_of(at0, first) || !int_of(at1, last)) return false;
    if (first != b.live[r].first || last != b.live[r].last) return false;
    ++r;
  }
  return r == b.live.size();
}

}  // namespace

std::optional<Plan> parse_plan_json_fast(const std::string& text, const Problem& problem,
                                         std::optional<std::string>& mismatch) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(text).get(root) != simdjson::SUCCESS) return std::nullopt;
  std::array<std::optional<element>, 3> top;
  if (!fields_of(root, std::array<std::string_view, 3>{"algorithm", "buffers", "pools"}, top)) return std::nullopt;
  Plan plan;
  std::string_view algorithm;
  if (top[0] && top[0]->get(algorithm) == simdjson::SUCCESS) plan.algorithm = std::string(algorithm);
  plan.placements.assign(problem.buffers.size(), Placement{});
  std::optional<std::string> found;
  auto note = [&](std::string what) {
    if (!found) found = std::move(what);
  };

  simdjson::dom::array buffers;
  if (!top[1] || top[1]->get(buffers) != simdjson::SUCCESS) return std::nullopt;
  BufferLookup index(problem);
  std::vector<bool> seen(problem.buffers.size(), false);
  std::array<std::optional<element>, 8> field;
  const std::array<std::string_view, 8> keys{"name",       "pool",      "offset", "alias_of",
                                             "size_bytes", "alignment", "kind",   "live"};
  std::string name, pool;
  std::size_t k = 0;
  for (element entry : buffers) {
    std::int64_t offset = 0;
    if (!fields_of(entry, keys, field) || !name_of(field[0], name) || !name_of(field[1], pool) ||
        !int_of(field[2], offset) || field[3])
      return std::nullopt;  // tensor aliases (plans of models, small) go to the full reader
    const auto i = index.find(k++, name);
    if (!i) {
      note(fmt::format("the plan places buffer '{}', which the problem does not have", name));
      continue;
    }
    if (seen[static_cast<std::size_t>(*i)]) {
      note(fmt::format("buffer '{}' is placed more than once", name));
      continue;
    }
    seen[static_cast<std::size_t>(*i)] = true;
    auto p = problem.find_pool(pool);
    if (!p) {
      note(fmt::format("buffer '{}' is placed in pool '{}', which the problem does not have", name, pool));
      continue;
    }
    if (!states_the_problem(field, problem.buffers[static_cast<std::size_t>(*i)])) return std::nullopt;
    plan.placements[static_cast<std::size_t>(*i)] = {*p, offset};
  }
  compute_pool_sizes(problem, plan);
  // Pool sizes as the plan states them: the checker verifies they cover their buffers.
  // Anything stated that disagrees with the problem or the placements goes to the full reader,
  // which words the mismatch.
  simdjson::dom::array pools;
  if (top[2] && top[2]->get(pools) == simdjson::SUCCESS) {
    std::array<std::optional<element>, 5> pf;
    std::vector<bool> listed(problem.pools.size(), false);
    Bytes total = 0;
    for (element entry : pools) {
      if (!fields_of(entry, std::array<std::string_view, 5>{"name", "size_bytes", "kind", "alignment", "limit_bytes"},
                     pf) ||
          !name_of(pf[0], name))
        return std::nullopt;
      auto p = problem.find_pool(name);
      if (!p || listed[static_cast<std::size_t>(*p)]) return std::nullopt;
      listed[static_cast<std::size_t>(*p)] = true;
      const Pool& stated_pool = problem.pools[static_cast<std::size_t>(*p)];
      std::string_view kind;
      if (pf[2] && (pf[2]->get(kind) != simdjson::SUCCESS || kind != to_string(stated_pool.kind))) return std::nullopt;
      std::int64_t value = 0;
      if (pf[3] && (!int_of(pf[3], value) || value != stated_pool.alignment)) return std::nullopt;
      if (pf[4] && (is_null(pf[4]) ? stated_pool.limit.has_value()
                                   : !int_of(pf[4], value) || !stated_pool.limit || value != *stated_pool.limit))
        return std::nullopt;
      if (is_null(pf[1])) continue;
      if (!int_of(pf[1], value) || value != plan.pool_sizes[static_cast<std::size_t>(*p)]) return std::nullopt;
      total += value;
    }
    if (std::find(listed.begin(), listed.end(), false) != listed.end()) return std::nullopt;
    std::array<std::optional<element>, 2> totals;
    if (!fields_of(root, std::array<std::string_view, 2>{"total_bytes", "lower_bound_bytes"}, totals))
      return std::nullopt;
    std::int64_t stated = 0;
    if (totals[0] && (!int_of(totals[0], stated) || stated != total)) return std::nullopt;
    if (totals[1] && !is_null(totals[1]) && (!int_of(totals[1], stated) || stated > plan.total_size()))
      return std::nullopt;
  }
  if (!mismatch) mismatch = std::move(found);
  return plan;
}

}  // namespace arenaplan
