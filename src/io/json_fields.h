// Typed access to JSON fields with error messages that name the file and the field.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "arenaplan/error.h"
#include "arenaplan/limits.h"

namespace arenaplan::json_fields {

using nlohmann::json;

[[noreturn]] inline void fail(const std::string& file, const std::string& where, const std::string& what) {
  throw InputError(fmt::format("{}: {}: {}", file, where, what));
}

inline std::int64_t to_int(const json& value, const std::string& file, const std::string& where) {
  if (value.is_number_unsigned()) {
    if (value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      fail(file, where, "integer is too large for 64 bits");
    return static_cast<std::int64_t>(value.get<std::uint64_t>());
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  fail(file, where, fmt::format("expected an integer, found {}", value.type_name()));
}

inline std::optional<std::int64_t> optional_int(const json& object, const char* key, const std::string& file,
                                                const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  return to_int(*it, file, where + "." + key);
}

inline std::string string_of(const json& value, const std::string& file, const std::string& where) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return value.dump();  // numeric names, e.g. MiniMalloc ids
  fail(file, where, fmt::format("expected a string, found {}", value.type_name()));
}

inline const json& required(const json& object, const char* key, const std::string& file, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) fail(file, where, fmt::format("missing field \"{}\"", key));
  return *it;
}

inline const json& array_of(const json& value, const std::string& file, const std::string& where) {
  if (!value.is_array()) fail(file, where, fmt::format("expected an array, found {}", value.type_name()));
  return value;
}

inline const json& object_of(const json& value, const std::string& file, const std::string& where) {
  if (!value.is_object()) fail(file, where, fmt::format("expected an object, found {}", value.type_name()));
  return value;
}

// "FILE:LINE:COLUMN" of a syntax error; nlohmann counts the bytes read, the last one is the culprit.
inline std::string syntax_error_place(const std::string& text, const std::string& file, std::size_t bytes_read) {
  const std::size_t at = std::min(bytes_read == 0 ? 0 : bytes_read - 1, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return fmt::format("{}:{}:{}", file, line, column);
}

// The nesting depth nlohmann's parse callback would report for valid JSON: the most containers
// around any value, key or container start. A scan of its own, because nlohmann's callback parser
// rescans the enclosing array at every object's end (quadratic in the number of buffers).
inline std::int64_t json_nesting_depth(const std::string& text) {
  std::int64_t open = 0, deepest = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ':') continue;
    if (c == ']' || c == '}') {
      --open;
      continue;
    }
    deepest = std::max(deepest, open);
    if (c == '[' || c == '{') {
      ++open;
    } else if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
    }
  }
  return deepest;
}

// For valid JSON: refuses nesting deeper than limits.max_nesting.
inline void check_nesting(const std::string& text, const std::string& file, const InputLimits& limits) {
  if (json_nesting_depth(text) > limits.max_nesting)
    throw InputError(fmt::format("{}: JSON nested deeper than the limit of {} levels", file, limits.max_nesting),
                     Remedy::raise_max_nesting);
}

// Parses `text` as JSON; a syntax error becomes one line with the line and column, and nesting
// deeper than limits.max_nesting is refused.
inline json parse(const std::string& text, const std::string& file, const InputLimits& limits) {
  json root;
  try {
    root = json::parse(text, nullptr, true, false);
  } catch (const json::parse_error& e) {
    throw InputError(fmt::format("{}: not valid JSON ({})", syntax_error_place(text, file, e.byte),
                                 text.find_first_not_of(" \t\r\n") == std::string::npos ? "the file is empty"
                                 : e.byte > text.size() ? "the file ends too early, is it truncated?"
                                                        : "unexpected token ending here"));
  } catch (const json::exception&) {
    // Found by fuzzing: a number too large for a double ("4e4444") is out_of_range, not a parse error.
    throw InputError(fmt::format("{}: not valid JSON (a number is out of range)", file));
  }
  check_nesting(text, file, limits);
  return root;
}

}  // namespace arenaplan::json_fields
