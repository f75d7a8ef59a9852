// The pool spec parser: NAME[:key=value,...]. A fuzzer targets it; everything malformed is an
// InputError naming WHERE, never a crash.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "arenaplan/byte_size.h"
#include "arenaplan/error.h"
#include "arenaplan/pools.h"

namespace arenaplan {
namespace {

constexpr Bytes kMaxPoolBytes = Bytes{1} << 40;  // 1 TiB: no microcontroller memory is larger
constexpr Bytes kMaxAlignment = Bytes{1} << 20;
constexpr std::size_t kMaxName = 64;

std::string printable(std::string_view text) {
  return printable_text(text.substr(0, 80)) + (text.size() > 80 ? "..." : "");
}

[[noreturn]] void fail(std::string_view where, const std::string& problem) {
  throw InputError(fmt::format("{}: {}", where, problem));
}

bool is_identifier(std::string_view name) {
  if (name.empty() || name.size() > kMaxName) return false;
  if (std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

bool is_section(std::string_view name) {
  if (name.empty() || name.size() > kMaxName) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
}

std::vector<BufferKind> parse_kinds(std::string_view text, std::string_view where) {
  std::vector<BufferKind> kinds;
  while (true) {
    const auto plus = text.find('+');
    const std::string_view word = text.substr(0, plus);
    const auto kind = parse_buffer_kind(word);
    if (!kind)
      fail(where, fmt::format("unknown buffer kind '{}' (activation, scratch, input, output, constant, variable)",
                              printable(word)));
    if (std::find(kinds.begin(), kinds.end(), *kind) == kinds.end()) kinds.push_back(*kind);
    if (plus == std::string_view::npos) break;
    text.remove_prefix(plus + 1);
  }
  return kinds;
}

bool parse_flag(std::string_view value, std::string_view key, std::string_view where) {
  if (value == "true" || value == "1" || value == "yes") return true;
  if (value == "false" || value == "0" || value == "no") return false;
  fail(where, fmt::format("{}={}: expected true or false", key, printable(value)));
}

void set(PoolSpec& spec, std::string_view key, std::optional<std::string_view> value, std::string_view where) {
  auto need = [&]() -> std::string_view {
    if (!value || value->empty())
      fail(where, fmt::format("pool '{}': '{}' needs a value ({}=...)", spec.name, key, key));
    return *value;
  };
  if (key == "size") {
    const auto bytes = parse_byte_size(need());
    if (!bytes)
      fail(where,
           fmt::format("pool '{}': size '{}' is not a byte count (e.g. 65536, 64K, 1M)", spec.name, printable(*value)));
    if (*bytes == 0 || *bytes > kMaxPoolBytes)
      fail(where, fmt::format("pool '{}': size {} is absurd (1 byte to 1T)", spec.name, printable(*value)));
    spec.size = *bytes;
  } else if (key == "align" || key == "alignment") {
    const auto bytes = parse_byte_size(need());
    if (!bytes || !is_power_of_two(*bytes) || *bytes > kMaxAlignment)
      fail(where,
           fmt::format("pool '{}': alignment '{}' must be a power of two up to 1M", spec.name, printable(*value)));
    spec.alignment = *bytes;
  } else if (key == "kind") {
    const std::string_view v = need();
    if (v == "workspace")
      spec.kind = PoolKind::workspace;
    else if (v == "constant")
      spec.kind = PoolKind::constant;
    else
      fail(where, fmt::format("pool '{}': kind '{}' is not workspace or constant", spec.name, printable(v)));
  } else if (key == "kinds") {
    spec.kinds = parse_kinds(need(), where);
  } else if (key == "external") {
    spec.external = value ? parse_flag(*value, key, where) : true;
  } else if (key == "internal") {
    spec.external = value ? !parse_flag(*value, key, where) : false;
  } else if (key == "section") {
    if (!is_section(need()))
      fail(where, fmt::format("pool '{}': section '{}' may hold only letters, digits, '_', '.' and '-'", spec.name,
                              printable(*value)));
    spec.section = std::string(*value);
  } else {
    fail(where, fmt::format("pool '{}': unknown key '{}' (size, align, kind, kinds, external, section)", spec.name,
                            printable(key)));
  }
}

}  // namespace

bool PoolSpec::admits(BufferKind buffer) const {
  const bool constant = buffer == BufferKind::constant;
  if (constant != (kind == PoolKind::constant)) return false;
  return kinds.empty() || std::find(kinds.begin(), kinds.end(), buffer) != kinds.end();
}

Pool PoolSpec::to_pool() const {
  Pool pool;
  pool.name = name;
  pool.limit = size;
  pool.alignment = alignment;
  pool.kind = kind;
  pool.external = external;
  pool.section = section;
  return pool;
}

// Checks that `kinds` suits the pool kind; shared by the spec and file parsers.
static void check_spec(const PoolSpec& spec, std::string_view where) {
  for (BufferKind k : spec.kinds)
    if ((k == BufferKind::constant) != (spec.kind == PoolKind::constant))
      fail(where, fmt::format("pool '{}': a {} pool cannot hold {} buffers{}", spec.name, to_string(spec.kind),
                              to_string(k), k == BufferKind::constant ? " (add kind=constant)" : ""));
  if (spec.section && spec.external)
    fail(where, fmt::format("pool '{}': an external pool has no linker section (the user defines it)", spec.name));
}

PoolSpec parse_pool_spec(std::string_view text, std::string_view where) {
  PoolSpec spec;
  const auto colon = text.find(':');
  const std::string_view name = text.substr(0, colon);
  if (!is_identifier(name))
    fail(where, fmt::format("pool name '{}' must be a C identifier of at most {} characters (letters, digits, '_')",
                            printable(name), kMaxName));
  spec.name = std::string(name);
  if (colon != std::string_view::npos) {
    std::string_view rest = text.substr(colon + 1);
    if (rest.empty()) fail(where, fmt::format("pool '{}': nothing after ':'", spec.name));
    while (true) {
      const auto comma = rest.find(',');
      const std::string_view item = rest.substr(0, comma);
      const auto eq = item.find('=');
      const std::string_view key = item.substr(0, eq);
      if (key.empty()) fail(where, fmt::format("pool '{}': empty setting in '{}'", spec.name, printable(text)));
      set(spec, key, eq == std::string_view::npos ? std::nullopt : std::optional(item.substr(eq + 1)), where);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  check_spec(spec, where);
  return spec;
}

void check_pool_names(const std::vector<PoolSpec>& pools, std::string_view where) {
  for (std::size_t i = 0; i < pools.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (pools[i].name == pools[j].name) fail(where, fmt::format("pool '{}' is given twice", pools[i].name));
}

PlaceRule parse_place_rule(std::string_view text, std::string_view where) {
  const auto eq = text.rfind('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size())
    fail(where, fmt::format("'{}' is not PATTERN=POOL (e.g. 'conv*=dtcm')", printable(text)));
  if (text.size() > 1024) fail(where, "placement rule longer than 1024 characters");
  PlaceRule rule{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)), std::string(text)};
  if (!is_identifier(rule.pool)) fail(where, fmt::format("'{}' is not a pool name", printable(rule.pool)));
  return rule;
}

// Iterative glob with backtracking to the last '*': linear in practice, never exponential.
bool glob_match(std::string_view pattern, std::string_view name) {
  std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace arenaplan
