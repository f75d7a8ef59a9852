#include "algorithms/exact_driver.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>

#include "algorithms/exact_order.h"

namespace arenaplan::exact {

std::vector<std::int32_t> make_preorder(const Instance& instance, const std::string& keys, std::uint64_t seed) {
  const std::int32_t n = instance.size();
  std::vector<std::int32_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::vector<std::uint64_t> tie(static_cast<std::size_t>(n));
  std::iota(tie.begin(), tie.end(), std::uint64_t{0});
  if (seed != 0) {
    std::mt19937_64 random(seed);
    std::shuffle(tie.begin(), tie.end(), random);
  }
  std::vector<OrderFeatures> features(static_cast<std::size_t>(n));
  for (std::int32_t i = 0; i < n; ++i) {
    const Item& item = instance.items[i];
    features[i] = {item.width, item.size, item.total, item.first, item.fixed != kNoFixedOffset};
  }
  std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    const int by_keys = compare_by_keys(features[a], features[b], keys);
    return by_keys != 0 ? by_keys < 0 : tie[a] < tie[b];
  });
  return order;
}

Solver::Solver(const Instance& instance, std::uint64_t seed) : instance_(instance) {
  const std::vector<std::string> orders{"WAT", "TAW", "TWA"};
  for (const std::string& keys : orders) {
    searches_.push_back(std::make_unique<Search>(instance, make_preorder(instance, keys, 0), keys));
  }
  if (seed != 0) searches_.push_back(std::make_unique<Search>(instance, make_preorder(instance, "AWT", seed), "AWT"));
}

Outcome Solver::decide(Bytes capacity, const Budget& budget, Packing& out) {
  std::int64_t limit = std::max<std::int64_t>(64, instance_.size());
  if (auto it = resume_limit_.find(capacity); it != resume_limit_.end()) limit = it->second;
  while (true) {
    for (auto& search : searches_) {
      const Outcome outcome = search->run(capacity, limit, &budget);
      nodes_ += search->nodes();
      if (outcome == Outcome::found) {
        out.offsets = search->offsets();
        out.peak = search->peak();
        return outcome;
      }
      if (outcome == Outcome::infeasible) return outcome;
      if (budget.exhausted()) {
        resume_limit_[capacity] = limit;
        return Outcome::aborted;
      }
    }
    if (limit > std::numeric_limits<std::int64_t>::max() / 4) return Outcome::aborted;
    limit *= 2;
  }
}

bool Solver::dive(Packing& out) {
  const Bytes unbounded = std::numeric_limits<Bytes>::max() / 8;
  bool any = false;
  for (auto& search : searches_) {
    const Outcome outcome = search->run(unbounded, 4 * static_cast<std::int64_t>(instance_.size()) + 64, nullptr);
    nodes_ += search->nodes();
    if (outcome == Outcome::found && (!any || search->peak() < out.peak)) {
      out.offsets = search->offsets();
      out.peak = search->peak();
      any = true;
    }
  }
  return any;
}

}  // namespace arenaplan::exact
