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

// Counts the objects of the top-level "buffers" array and adds up their "size_bytes" while the
// parser reads them, so that --max-buffers and --max-total-size stop a huge file before its
// whole document is built in memory (normalise() checks the exact rules afterwards).
class BufferCounter {
 public:
  BufferCounter(const std::string& file, const InputLimits& limits) : file_(file), limits_(limits) {}

  void operator()(int depth, json::parse_event_t event, const json& parsed) {
    using E = json::parse_event_t;
    const bool size_value = size_next_ && event == E::value && depth == 3;
    size_next_ = in_buffers_ && event == E::key && depth == 3 && parsed == "size_bytes";
    if (event == E::key && depth == 1) in_buffers_ = parsed == "buffers";
    if (!in_buffers_) return;
    if (event == E::object_end && depth == 2 && ++buffers_ > std::min<std::int64_t>(limits_.max_buffers, 0x7ffffff0))
      throw InputError(fmt::format("{}: more than {} buffers, the limit", file_, limits_.max_buffers),
                       Remedy::raise_max_buffers);
    if (size_value && parsed.is_number_integer() && parsed >= 0 && parsed <= (std::int64_t{1} << 60)) {
      total_ += parsed.get<std::int64_t>();  // at most 2^31 sizes of at most 2^60: no overflow
      if (total_ > std::min(limits_.max_total_bytes, std::int64_t{1} << 62))
        throw InputError(fmt::format("{}: the buffers' sizes add up to more than the limit of {} bytes", file_,
                                     limits_.max_total_bytes),
                         Remedy::raise_max_total_bytes);
    }
  }

 private:
  const std::string& file_;
  const InputLimits& limits_;
  bool in_buffers_ = false, size_next_ = false;
  std::int64_t buffers_ = 0, total_ = 0;
};

// Parses `text` as JSON; a syntax error becomes one line with the line and column, and nesting
// deeper than limits.max_nesting is refused. A NUL byte is an error wherever it is (JSON has
// none, and the parser would stop reading at one). With `count_buffers`, a problem or plan over
// limits.max_buffers or limits.max_total_bytes is refused while it is read.
inline json parse(const std::string& text, const std::string& file, const InputLimits& limits,
                  bool count_buffers = false) {
  if (const std::size_t nul = text.find('\0'); nul != std::string::npos)
    throw InputError(fmt::format("{}: not valid JSON (a NUL byte)", syntax_error_place(text, file, nul + 1)));
  const std::int64_t max_depth = limits.max_nesting;
  bool too_deep = false;
  BufferCounter counter(file, limits);
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) {
    if (depth > max_depth) too_deep = true;
    if (count_buffers) counter(depth, event, parsed);
    return true;
  };
  json root;
  try {
    root = json::parse(text, callback, true, false);
  } catch (const json::parse_error& e) {
    throw InputError(fmt::format("{}: not valid JSON ({})", syntax_error_place(text, file, e.byte),
                                 text.find_first_not_of(" \t\r\n") == std::string::npos ? "the file is empty"
                                 : e.byte > text.size() ? "the file ends too early, is it truncated?"
                                                        : "unexpected token ending here"));
  } catch (const json::exception&) {
    // Found by fuzzing: a number too large for a double ("4e4444") is out_of_range, not a parse error.
    throw InputError(fmt::format("{}: not valid JSON (a number is out of range)", file));
  }
  if (too_deep)
    throw InputError(fmt::format("{}: JSON nested deeper than the limit of {} levels", file, max_depth),
                     Remedy::raise_max_nesting);
  return root;
}

}  // namespace arenaplan::json_fields
