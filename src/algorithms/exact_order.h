// The sort keys of the exact search's static preorders (MiniMalloc's static preordering), stated
// once: the initial preorder (make_preorder) and the re-ranking of a decomposition's parts use
// the same keys. A key string names keys compared in turn, larger first: W width (total live
// length), A area (width x size), T heaviest clique the item is in, Z size, S earliest start.
// Pre-placed items always come first.
#pragma once

#include <cstdint>
#include <string_view>

#include "arenaplan/problem.h"

namespace arenaplan::exact {

struct OrderFeatures {
  std::int64_t width = 0;
  Bytes size = 0;
  std::int64_t total = 0;  // heaviest clique (sum of sizes) the item belongs to
  std::int64_t first = 0;  // first step live
  bool fixed = false;      // pre-placed
};

inline long double order_key(const OrderFeatures& f, char key) {
  switch (key) {
    case 'W': return static_cast<long double>(f.width);
    case 'A': return static_cast<long double>(f.width) * static_cast<long double>(f.size);
    case 'T': return static_cast<long double>(f.total);
    case 'Z': return static_cast<long double>(f.size);
    case 'S': return -static_cast<long double>(f.first);
    default: return 0.0L;
  }
}

// Negative when `a` goes first, positive when `b` does, zero when every key ties (the caller
// breaks the tie).
inline int compare_by_keys(const OrderFeatures& a, const OrderFeatures& b, std::string_view keys) {
  if (a.fixed != b.fixed) return a.fixed ? -1 : 1;
  for (char c : keys) {
    const long double ka = order_key(a, c), kb = order_key(b, c);
    if (ka != kb) return ka > kb ? -1 : 1;
  }
  return 0;
}

}  // namespace arenaplan::exact
