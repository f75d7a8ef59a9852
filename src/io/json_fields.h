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

// The limits check_buffer_counts applies, and its messages (the fast plan reader counts alike).
inline std::int64_t buffer_count_limit(const InputLimits& limits) {
  return std::min<std::int64_t>(limits.max_buffers, 0x7ffffff0);
}
inline std::int64_t total_bytes_limit(const InputLimits& limits) {
  return std::min(limits.max_total_bytes, std::int64_t{1} << 62);
}
[[noreturn]] inline void too_many_buffers(const std::string& file, const InputLimits& limits) {
  throw InputError(fmt::format("{}: more than {} buffers, the limit", file, limits.max_buffers),
                   Remedy::raise_max_buffers);
}
[[noreturn]] inline void too_many_bytes(const std::string& file, const InputLimits& limits) {
  throw InputError(
      fmt::format("{}: the buffers' sizes add up to more than the limit of {} bytes", file, limits.max_total_bytes),
      Remedy::raise_max_total_bytes);
}

// Counts the objects of the top-level "buffers" array and adds up their "size_bytes" in one
// linear scan before the document is built, so that --max-buffers and --max-total-size stop a
// huge file early (normalise() checks the exact rules afterwards). Malformed text is left to the
// parser's messages: the scan only counts.
inline void check_buffer_counts(const std::string& text, const std::string& file, const InputLimits& limits) {
  std::int64_t depth = 0, buffers = 0, total = 0;
  bool in_buffers = false;
  std::string_view key1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' || c == '[') {
      if (c == '[' && depth == 1 && key1 == "buffers") in_buffers = true;
      if (c == '{' && in_buffers && depth == 2 && ++buffers > buffer_count_limit(limits))
        too_many_buffers(file, limits);
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
      if (depth <= 1) in_buffers = false;
    } else if (c == '"') {
      const std::size_t start = ++i;
      for (; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
      const std::string_view str(text.data() + start, std::min(i, text.size()) - start);
      std::size_t next = i + 1;
      while (next < text.size() &&
             (text[next] == ' ' || text[next] == '\t' || text[next] == '\r' || text[next] == '\n'))
        ++next;
      if (next >= text.size() || text[next] != ':') continue;  // a value, not a key
      if (depth == 1) key1 = str;
      if (in_buffers && depth == 3 && str == "size_bytes") {
        std::size_t d = next + 1;
        while (d < text.size() && text[d] == ' ') ++d;
        std::int64_t size = 0;
        for (; d < text.size() && text[d] >= '0' && text[d] <= '9' && size <= (std::int64_t{1} << 59); ++d)
          size = size * 10 + (text[d] - '0');
        total += std::min(size, std::int64_t{1} << 60);  // 2^59 * 10 + 9 fits; at most 2^31 sizes of 2^60
        if (total > total_bytes_limit(limits)) too_many_bytes(file, limits);
      }
    }
  }
}

// Refuses a NUL byte anywhere (JSON has none, and parsers stop reading at one).
inline void check_no_nul(const std::string& text, const std::string& file) {
  if (const std::size_t nul = text.find('\0'); nul != std::string::npos)
    throw InputError(fmt::format("{}: not valid JSON (a NUL byte)", syntax_error_place(text, file, nul + 1)));
}

// check_no_nul, then the buffers and their bytes counted against the limits.
inline void check_text(const std::string& text, const std::string& file, const InputLimits& limits) {
  check_no_nul(text, file);
  check_buffer_counts(text, file, limits);
}

// Parses `text` as JSON; a syntax error becomes one line with the line and column, and nesting
// deeper than limits.max_nesting is refused. A NUL byte is an error wherever it is (JSON has
// none, and the parser would stop reading at one). With `count_buffers`, a problem or plan over
// limits.max_buffers or limits.max_total_bytes is refused before it is parsed.
inline json parse(const std::string& text, const std::string& file, const InputLimits& limits,
                  bool count_buffers = false) {
  if (count_buffers) {
    check_text(text, file, limits);
  } else {
    check_no_nul(text, file);
  }
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
