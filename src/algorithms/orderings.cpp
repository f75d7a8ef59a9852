#include "algorithms/orderings.h"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace arenaplan::detail {
namespace {

Step first_use(const Buffer& b) { return b.live.empty() ? 0 : b.live.front().first; }

Step live_length(const Buffer& b) {
  Step total = 0;
  for (const Interval& r : b.live) total += r.last - r.first;
  return total;
}

}  // namespace

std::string_view to_string(Ordering ordering) {
  switch (ordering) {
    case Ordering::size: return "size";
    case Ordering::first_use: return "first_use";
    case Ordering::conflicts: return "conflicts";
    case Ordering::area: return "area";
  }
  return "?";
}

std::vector<std::int32_t> make_first_use_order(const Problem& problem) {
  const auto& bs = problem.buffers;
  std::vector<std::int32_t> order(bs.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<std::pair<Step, Bytes>> keys(bs.size());
  for (std::size_t i = 0; i < bs.size(); ++i) keys[i] = {first_use(bs[i]), -bs[i].size};
  std::sort(order.begin(), order.end(),
            [&](std::int32_t a, std::int32_t b) { return keys[a] < keys[b] || (keys[a] == keys[b] && a < b); });
  return order;
}

std::vector<std::int32_t> make_order(const Problem& problem, const ConflictIndex& index, Ordering ordering) {
  if (ordering == Ordering::first_use) return make_first_use_order(problem);
  const auto& bs = problem.buffers;
  std::vector<std::int32_t> order(bs.size());
  std::iota(order.begin(), order.end(), 0);
  auto sort_by = [&](auto key) {
    std::vector<decltype(key(0))> keys(bs.size());
    for (std::size_t i = 0; i < bs.size(); ++i) keys[i] = key(static_cast<std::int32_t>(i));
    std::sort(order.begin(), order.end(),
              [&](std::int32_t a, std::int32_t b) { return keys[a] < keys[b] || (keys[a] == keys[b] && a < b); });
  };
  switch (ordering) {
    case Ordering::size:  // largest first; longer-lived first among equals
      sort_by([&](std::int32_t i) { return std::make_tuple(-bs[i].size, -live_length(bs[i])); });
      break;
    case Ordering::first_use:    // timeline order; largest first among buffers born together
      break;                     // handled above
    case Ordering::conflicts: {  // most conflicts first
      sort_by([&](std::int32_t i) {
        return std::make_tuple(-static_cast<std::int64_t>(index.neighbors(i).size()), -bs[i].size);
      });
      break;
    }
    case Ordering::area: {  // size x lifetime (x degree where there is no timeline)
      sort_by([&](std::int32_t i) {
        const Bytes extent =
            bs[i].live.empty() ? static_cast<Bytes>(index.neighbors(i).size()) + 1 : live_length(bs[i]);
        const long double area = static_cast<long double>(bs[i].size) * static_cast<long double>(extent);
        return std::make_tuple(-area, -bs[i].size);
      });
      break;
    }
  }
  return order;
}

}  // namespace arenaplan::detail
