#include "arenaplan/byte_size.h"

#include <array>
#include <cctype>
#include <charconv>
#include <limits>

namespace arenaplan {
namespace {

bool same_letters(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k)
    if (std::tolower(static_cast<unsigned char>(a[k])) != std::tolower(static_cast<unsigned char>(b[k]))) return false;
  return true;
}

// The multiplier of a unit suffix (case-insensitive), 0 when it is none of them. KB means 1024, as
// in chip data sheets and linker maps.
Bytes multiplier_of(std::string_view unit) {
  if (unit.empty() || same_letters(unit, "B")) return 1;
  constexpr std::array<char, 3> kPrefixes = {'k', 'm', 'g'};
  for (std::size_t k = 0; k < kPrefixes.size(); ++k) {
    if (std::tolower(static_cast<unsigned char>(unit[0])) != kPrefixes[k]) continue;
    const std::string_view rest = unit.substr(1);
    if (rest.empty() || same_letters(rest, "B") || same_letters(rest, "iB")) return Bytes{1} << (10 * (k + 1));
  }
  return 0;
}

}  // namespace

std::optional<Bytes> parse_byte_size(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  Bytes value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc() || end == text.data() || value < 0) return std::nullopt;
  const std::string_view unit = text.substr(static_cast<std::size_t>(end - text.data()));
  // A hex number ends where its digits do: "0x10B" is 0x10B bytes, never 0x10 with a unit.
  if (base == 16 && !unit.empty()) return std::nullopt;
  const Bytes multiplier = multiplier_of(unit);
  if (multiplier == 0 || value > std::numeric_limits<Bytes>::max() / 8 / multiplier) return std::nullopt;
  return value * multiplier;
}

}  // namespace arenaplan
