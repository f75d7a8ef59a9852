// The pools file: the --pool specs as JSON, for projects that keep them under version control.
// Each entry is turned into the spec text and parsed by parse_pool_spec, so both share every rule.
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/pools.h"
#include "io/files.h"
#include "io/json_fields.h"

namespace arenaplan {
namespace {

std::string scalar(const nlohmann::json& value, const std::string& where) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  throw InputError(fmt::format("{}: expected a string or a whole number", where));
}

PoolSpec read_entry(const nlohmann::json& entry, const std::string& where) {
  if (!entry.is_object()) throw InputError(fmt::format("{}: a pool is an object with a \"name\"", where));
  const auto name = entry.find("name");
  if (name == entry.end() || !name->is_string())
    throw InputError(fmt::format("{}: pool without a \"name\" string", where));
  std::string spec = name->get<std::string>();
  if (spec.find_first_of(":,=") != std::string::npos)
    throw InputError(fmt::format("{}: pool name '{}' must be a C identifier", where, spec));
  std::string settings;
  for (const auto& [key, value] : entry.items()) {
    if (key == "name") continue;
    std::string text;
    if (key == "kinds" && value.is_array()) {
      for (const auto& k : value) text += (text.empty() ? "" : "+") + scalar(k, where + ": kinds");
    } else {
      text = scalar(value, fmt::format("{}: pool '{}': {}", where, spec, key));
    }
    if (text.find_first_of(",:") != std::string::npos)
      throw InputError(fmt::format("{}: pool '{}': {} '{}' may not contain ',' or ':'", where, spec, key, text));
    settings += fmt::format("{}{}={}", settings.empty() ? "" : ",", key, text);
  }
  return parse_pool_spec(settings.empty() ? spec : spec + ":" + settings, where);
}

}  // namespace

std::vector<PoolSpec> parse_pools_json(const std::string& text, const std::string& source, const InputLimits& limits) {
  // The same parser as the problem and plan files: line and column of a syntax error, --max-nesting.
  const nlohmann::json doc = json_fields::parse(text, source, limits);
  const nlohmann::json* list = &doc;
  if (doc.is_object()) {
    const auto pools = doc.find("pools");
    if (pools == doc.end()) throw InputError(fmt::format("{}: no \"pools\" array", source));
    list = &*pools;
  }
  if (!list->is_array() || list->empty())
    throw InputError(fmt::format("{}: \"pools\" must be a non-empty array", source));
  std::vector<PoolSpec> out;
  for (std::size_t i = 0; i < list->size(); ++i)
    out.push_back(read_entry((*list)[i], fmt::format("{}: pools[{}]", source, i)));
  check_pool_names(out, source);
  return out;
}

std::vector<PoolSpec> read_pools_file(const std::string& path, const InputLimits& limits) {
  return parse_pools_json(read_file(path, limits), path, limits);
}

}  // namespace arenaplan
