#include "arenaplan/budget.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace arenaplan {
namespace {

constexpr std::int64_t kUnlimited = std::numeric_limits<std::int64_t>::max();
constexpr double kFarSeconds = 1e7;  // "no deadline", still representable on steady_clock

std::chrono::steady_clock::time_point after(double seconds) {
  return std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                std::chrono::duration<double>(std::clamp(seconds, 0.0, kFarSeconds)));
}

int rank(StopReason r) {
  switch (r) {
    case StopReason::interrupted: return 3;
    case StopReason::time_limit: return 2;
    case StopReason::work_limit: return 1;
    default: return 0;
  }
}

}  // namespace

std::string_view to_string(StopReason reason) {
  switch (reason) {
    case StopReason::completed: return "completed";
    case StopReason::optimal: return "optimal";
    case StopReason::work_limit: return "work-limit";
    case StopReason::time_limit: return "time-limit";
    case StopReason::interrupted: return "interrupted";
  }
  return "completed";
}

Budget::Budget() : Budget(-1, kFarSeconds, nullptr) {}

Budget::Budget(std::int64_t work, double seconds, const std::atomic<bool>* stop)
    : shared_(std::make_shared<Shared>()), work_end_(work < 0 ? kUnlimited : work), deadline_(after(seconds)) {
  shared_->stop = stop;
  shared_->start = std::chrono::steady_clock::now();
  shared_->by_work = work >= 0;
}

void Budget::note(StopReason reason) const {
  if (rank(reason) > rank(shared_->reason)) shared_->reason = reason;
}

bool Budget::exhausted() const {
  if (!ignore_stop_ && ((shared_->stop != nullptr && shared_->stop->load(std::memory_order_relaxed)) ||
                        (cancel_ != nullptr && cancel_->load(std::memory_order_relaxed)))) {
    note(StopReason::interrupted);
    return true;
  }
  if (shared_->work >= work_end_) {
    note(StopReason::work_limit);
    return true;
  }
  if (std::chrono::steady_clock::now() >= end()) {
    note(StopReason::time_limit);
    return true;
  }
  return false;
}

std::chrono::steady_clock::time_point Budget::end() const {
  if (shared_->reserve <= 0) return deadline_;
  return deadline_ - std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                         std::chrono::duration<double>(static_cast<double>(shared_->reserve) / rate()));
}

void Budget::reserve(std::int64_t units) const { shared_->reserve = std::max<std::int64_t>(0, units); }

double Budget::rate() const {
  // Too little seen yet to judge: the reference rate.
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - shared_->start).count();
  if (elapsed < 0.05 || shared_->work <= 0) return kWorkUnitsPerSecond;
  return std::clamp(static_cast<double>(shared_->work) / elapsed, kWorkUnitsPerSecond / 100, kWorkUnitsPerSecond);
}

std::int64_t Budget::time_left() const {
  const double seconds = std::chrono::duration<double>(end() - std::chrono::steady_clock::now()).count();
  return static_cast<std::int64_t>(std::max(0.0, seconds) * rate());
}

bool Budget::can_afford(std::int64_t units) const {
  if (exhausted()) return false;
  if (shared_->by_work && units > work_left()) {
    note(StopReason::work_limit);
    return false;
  }
  // Even within the work budget, work that cannot be cut must not run past the deadline (at the
  // rate this machine shows now: a loaded machine is slower than the reference).
  if (units > time_left()) {
    note(StopReason::time_limit);
    return false;
  }
  return true;
}

std::int64_t Budget::work_left() const {
  if (shared_->by_work) return std::max<std::int64_t>(0, work_end_ - shared_->work);
  return time_left();
}

Budget Budget::uncapped() const {
  Budget out = *this;
  out.work_end_ = kUnlimited;
  out.deadline_ = after(kFarSeconds);
  out.ignore_stop_ = true;
  return out;
}

Budget Budget::part(double fraction) const {
  Budget out = *this;
  fraction = std::clamp(fraction, 0.0, 1.0);
  if (shared_->by_work) {
    // At least one unit, so that a part always makes progress.
    const auto share = static_cast<std::int64_t>(std::ceil(static_cast<double>(work_left()) * fraction));
    out.work_end_ = shared_->work + std::max<std::int64_t>(1, share);
  } else {
    const auto now = std::chrono::steady_clock::now();
    if (deadline_ > now)
      out.deadline_ =
          now + std::chrono::duration_cast<std::chrono::steady_clock::duration>((deadline_ - now) * fraction);
  }
  return out;
}

Budget Budget::fork(std::int64_t work, const std::atomic<bool>* cancel) const {
  Budget out = *this;
  out.cancel_ = cancel;
  out.shared_ = std::make_shared<Shared>(*shared_);
  out.shared_->work = 0;
  out.shared_->start = std::chrono::steady_clock::now();
  out.shared_->reason = StopReason::completed;
  out.work_end_ = shared_->by_work ? std::max<std::int64_t>(0, work) : kUnlimited;
  return out;
}

void Budget::join(const Budget& member, std::int64_t work) const {
  charge(work);
  note(member.reason());
}

}  // namespace arenaplan
