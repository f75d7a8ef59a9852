#include "algorithms/exact_driver.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <numeric>
#include <random>

#include "algorithms/exact_order.h"
#include "algorithms/run_members.h"

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

Solver::Solver(const Instance& instance, std::uint64_t seed, unsigned threads)
    : instance_(instance), threads_(std::max(1u, threads)) {
  const std::vector<std::string> orders{"WAT", "TAW", "TWA"};
  for (const std::string& keys : orders) {
    searches_.push_back(std::make_unique<Search>(instance, make_preorder(instance, keys, 0), keys));
  }
  if (seed != 0) searches_.push_back(std::make_unique<Search>(instance, make_preorder(instance, "AWT", seed), "AWT"));
}

// Rounds below this node limit run on one thread: starting threads would cost more than they save.
constexpr std::int64_t kSideBySideFrom = 1024;

std::vector<Solver::Ahead> Solver::run_ahead(Bytes capacity, std::int64_t limit, const Budget& budget,
                                             std::int64_t work) {
  const std::size_t count = searches_.size();
  std::vector<Ahead> ahead(count);
  // A search after one that ended the round (found, infeasible) is stopped, or not started: its
  // result is not wanted.
  std::vector<std::atomic<bool>> unwanted(count);
  for (std::size_t k = 0; k < count; ++k) ahead[k].budget = budget.fork(work, &unwanted[k]);
  detail::run_members(count, threads_, [&](std::size_t k) {
    if (unwanted[k].load()) return;
    ahead[k].outcome = searches_[k]->run(capacity, limit, &ahead[k].budget);
    ahead[k].ran = !unwanted[k].load();
    // Aborted at the node limit, the round goes on; not when the budget ran out (nor when found
    // or infeasible).
    if (!ahead[k].ran || (ahead[k].outcome == Outcome::aborted && !ahead[k].budget.exhausted())) return;
    for (std::size_t j = k + 1; j < count; ++j) unwanted[j] = true;
  });
  return ahead;
}

Outcome Solver::decide(Bytes capacity, const Budget& budget, Packing& out) {
  std::int64_t limit = std::max<std::int64_t>(64, instance_.size());
  if (auto it = resume_limit_.find(capacity); it != resume_limit_.end()) limit = it->second;
  while (true) {
    // The round's searches run side by side, then are taken in order as if run one after another:
    // a search's result stands when none ran before it, or while the work of those before it and
    // its own stays below what the budget had left (so no poll of one thread would have stopped
    // it); from the first that does not, they run again here on the budget itself. So the plan,
    // the work charged and the work units are those of one thread.
    const std::int64_t work = budget.work_left();
    std::vector<Ahead> ahead;
    if (threads_ > 1 && limit >= kSideBySideFrom) ahead = run_ahead(capacity, limit, budget, work);
    std::int64_t used = 0;
    for (std::size_t k = 0; k < searches_.size(); ++k) {
      Search& search = *searches_[k];
      Outcome outcome;
      // Nothing before it: its budget was the budget's own (even if it ran out).
      if (k < ahead.size() && ahead[k].ran && (used == 0 || used + ahead[k].budget.work_done() < work)) {
        outcome = ahead[k].outcome;
        used += ahead[k].budget.work_done();
        budget.join(ahead[k].budget, ahead[k].budget.work_done());
      } else {
        ahead.clear();  // the budget now differs from what the searches ahead had
        outcome = search.run(capacity, limit, &budget);
      }
      nodes_ += search.nodes();
      if (outcome == Outcome::found) {
        out.offsets = search.offsets();
        out.peak = search.peak();
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
