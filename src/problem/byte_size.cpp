#include "arenaplan/byte_size.h"

#include <charconv>
#include <limits>

namespace arenaplan {

std::optional<Bytes> parse_byte_size(std::string_view text) {
  Bytes multiplier = 1;
  if (!text.empty()) {
    switch (text.back()) {
      case 'K':
      case 'k': multiplier = Bytes{1} << 10; break;
      case 'M':
      case 'm': multiplier = Bytes{1} << 20; break;
      case 'G':
      case 'g': multiplier = Bytes{1} << 30; break;
      default: break;
    }
    if (multiplier != 1) text.remove_suffix(1);
  }
  Bytes value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || value < 0) return std::nullopt;
  if (value > std::numeric_limits<Bytes>::max() / 8 / multiplier) return std::nullopt;
  return value * multiplier;
}

}  // namespace arenaplan
