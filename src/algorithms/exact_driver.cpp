#include "algorithms/exact_driver.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <limits>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>

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

Solver::Solver(const Instance& instance, std::uint64_t seed, unsigned threads)
    : instance_(instance), threads_(std::max(1u, threads)) {
  const std::vector<std::string> orders{"WAT", "TAW", "TWA"};
  for (const std::string& keys : orders) {
    searches_.push_back(std::make_unique<Search>(instance, make_preorder(instance, keys, 0), keys));
  }
  if (seed != 0) searches_.push_back(std::make_unique<Search>(instance, make_preorder(instance, "AWT", seed), "AWT"));
}

namespace {

// Rounds below this node limit run on one thread: waking threads would cost more than they save.
constexpr std::int64_t kSideBySideFrom = 1024;

// One order's search on a thread of its own, run slice by slice: at its node limit it waits for
// the next round's slice, which goes on from there (a restart would search the same nodes again:
// on the challenging set 6-7 times the nodes of the run that finds the plan). The thread only
// stands in for a coroutine: the scheduler says how many run at once.
class Runner final : public Gate {
 public:
  explicit Runner(Search& search) : search_(search) {}
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;
  ~Runner() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      state_ = State::running;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  // Starts the next slice: the search goes on up to `limit` nodes in all, charging `budget`
  // (which must outlive the slice). Returns at once.
  void start(Bytes capacity, std::int64_t limit, const Budget* budget) {
    polls_.clear();
    if (!thread_.joinable()) {
      state_ = State::running;
      thread_ = std::thread([this, capacity, limit, budget] {
        Outcome outcome = Outcome::aborted;
        std::exception_ptr error;
        try {
          outcome = search_.run(capacity, limit, budget, this);
        } catch (...) { error = std::current_exception(); }
        std::lock_guard lock(mutex_);
        outcome_ = outcome;
        error_ = error;
        state_ = State::done;
        changed_.notify_all();
      });
      return;
    }
    {
      std::lock_guard lock(mutex_);
      search_.next_slice(limit, budget);
      state_ = State::running;
    }
    changed_.notify_all();
  }

  // Waits for the slice's end. `aborted` with paused(): it reached its limit and can go on.
  Outcome wait() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return state_ != State::running; });
    if (error_) std::rethrow_exception(error_);
    return state_ == State::paused ? Outcome::aborted : outcome_;
  }
  bool paused() const { return state_ == State::paused; }
  // The slice's work at each budget poll.
  const std::vector<std::int64_t>& polls() const { return polls_; }

 private:
  enum class State { running, paused, done };
  void poll(std::int64_t work) override { polls_.push_back(work); }
  bool pause() override {
    std::unique_lock lock(mutex_);
    state_ = State::paused;
    changed_.notify_all();
    changed_.wait(lock, [&] { return state_ != State::paused; });
    return !stopping_;
  }

  Search& search_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  State state_ = State::done;
  bool stopping_ = false;
  Outcome outcome_ = Outcome::aborted;
  std::exception_ptr error_;
  std::vector<std::int64_t> polls_;
};

}  // namespace

Outcome Solver::decide(Bytes capacity, const Budget& budget, Packing& out) {
  std::int64_t limit = std::max<std::int64_t>(64, instance_.size());
  if (auto it = resume_limit_.find(capacity); it != resume_limit_.end()) limit = it->second;
  const std::size_t count = searches_.size();
  std::vector<Budget> slices(count);  // before the runners: a stopped runner charges its slice
  std::vector<std::unique_ptr<Runner>> runners(count);
  auto finish = [&](Outcome outcome) {
    for (std::size_t k = 0; k < count; ++k)
      if (runners[k]) nodes_ += searches_[k]->nodes();
    if (outcome == Outcome::aborted) resume_limit_[capacity] = limit;
    return outcome;
  };
  while (true) {
    // A round: every order goes on to `limit` nodes, several side by side. Their results are
    // then taken in order as if run one after another: a slice stands unless one thread's budget
    // poll would have stopped it (its work at some poll reached what the slices before it left),
    // so the plan, the work charged and the work units are those of one thread.
    for (std::size_t k = 0; k < count;) {
      const std::size_t group =
          threads_ > 1 && limit >= kSideBySideFrom ? std::min<std::size_t>(threads_, count - k) : 1;
      const std::int64_t left = budget.work_left();
      for (std::size_t j = k; j < k + group; ++j) {
        slices[j] = budget.fork(left);
        if (!runners[j]) runners[j] = std::make_unique<Runner>(*searches_[j]);
        runners[j]->start(capacity, limit, &slices[j]);
      }
      std::vector<Outcome> outcomes;
      for (std::size_t j = k; j < k + group; ++j) outcomes.push_back(runners[j]->wait());
      std::int64_t used = 0;
      for (std::size_t j = k; j < k + group; ++j) {
        const std::vector<std::int64_t>& polls = runners[j]->polls();
        const auto stop = std::find_if(polls.begin(), polls.end(), [&](std::int64_t w) { return w >= left - used; });
        if (budget.has_work_limit() && stop != polls.end()) {
          budget.join(slices[j], *stop);
          budget.exhausted();  // records the work limit
          return finish(Outcome::aborted);
        }
        used += slices[j].work_done();
        budget.join(slices[j], slices[j].work_done());
        const Outcome outcome = outcomes[j - k];
        if (outcome == Outcome::found) {
          out.offsets = searches_[j]->offsets();
          out.peak = searches_[j]->peak();
          return finish(outcome);
        }
        if (outcome == Outcome::infeasible) return finish(outcome);
        // Stopped by the deadline or a stop request (not reproducible in any case).
        if (!runners[j]->paused() || budget.exhausted()) return finish(Outcome::aborted);
      }
      k += group;
    }
    if (limit > std::numeric_limits<std::int64_t>::max() / 4) return finish(Outcome::aborted);
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
