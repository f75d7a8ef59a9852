#include "io/plan_json_fast.h"

#include <array>
#include <cstdint>
#include <limits>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>
#include <simdjson.h>

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

// Buffer names to indices. Plans list their buffers in the problem's order, so the k-th entry is
// tried first and the map is built only for a plan in another order.
class BufferIndex {
 public:
  explicit BufferIndex(const Problem& problem) : problem_(problem) {}
  std::optional<std::int32_t> find(std::size_t k, const std::string& name) {
    if (k < problem_.buffers.size() && problem_.buffers[k].name == name) return static_cast<std::int32_t>(k);
    if (map_.empty()) {
      map_.reserve(problem_.buffers.size());
      for (std::size_t i = 0; i < problem_.buffers.size(); ++i)
        map_.emplace(problem_.buffers[i].name, static_cast<std::int32_t>(i));
    }
    auto it = map_.find(name);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }

 private:
  const Problem& problem_;
  std::unordered_map<std::string_view, std::int32_t> map_;
};

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
  BufferIndex index(problem);
  std::vector<bool> seen(problem.buffers.size(), false);
  std::array<std::optional<element>, 4> field;
  const std::array<std::string_view, 4> keys{"name", "pool", "offset", "alias_of"};
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
    plan.placements[static_cast<std::size_t>(*i)] = {*p, offset};
  }
  compute_pool_sizes(problem, plan);
  // Pool sizes as the plan states them: the checker verifies they cover their buffers.
  simdjson::dom::array pools;
  if (top[2] && top[2]->get(pools) == simdjson::SUCCESS) {
    std::array<std::optional<element>, 2> pf;
    for (element entry : pools) {
      if (!fields_of(entry, std::array<std::string_view, 2>{"name", "size_bytes"}, pf) || !name_of(pf[0], name))
        return std::nullopt;
      auto p = problem.find_pool(name);
      if (!p) {
        note(fmt::format("the plan has pool '{}', which the problem does not have", name));
        continue;
      }
      std::int64_t size = 0;
      if (is_null(pf[1])) continue;
      if (!int_of(pf[1], size)) return std::nullopt;
      plan.pool_sizes[static_cast<std::size_t>(*p)] = size;
    }
  }
  if (!mismatch) mismatch = std::move(found);
  return plan;
}

}  // namespace arenaplan
