#include "algorithms/window_search.h"

#include <algorithm>
#include <limits>
#include <random>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "algorithms/builtins.h"
#include "algorithms/gap_fill.h"
#include "algorithms/gap_fill_algorithms.h"
#include "arenaplan/error.h"

namespace arenaplan::detail {
namespace {

constexpr std::size_t kMaxWindow = 1024;    // buffers one move re-places at most
constexpr std::size_t kMoveWork = 1 << 22;  // about the most work of one move's refill
constexpr std::size_t kTopChoices = 16;     // a move starts from one of a pool's highest buffers
constexpr std::int64_t kCountCap = 64;      // buffers at the top counted at most (bounded work per move)
constexpr std::size_t kBlocks = 1024;       // time blocks of the index at most
constexpr Bytes kNoLimit = std::numeric_limits<Bytes>::max() / 4;

using End = std::pair<Bytes, std::int32_t>;  // (offset + size, buffer)

// How a move re-places its window. `compact` (lowest first, by the old offsets) never raises a
// buffer; the others reorder the window so that the gaps are shared out differently.
enum class Refill { compact, size, longest, shuffle };

class Search {
 public:
  Search(const Problem& problem, const ConflictIndex& index, const Plan& start, std::uint64_t seed)
      : problem_(problem),
        index_(index),
        rng_(seed),
        offset_(problem.buffers.size()),
        pool_(problem.buffers.size()),
        out_(problem.buffers.size(), 0),
        ends_(problem.pools.size()),
        seen_(problem.buffers.size(), -1) {
    for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
      offset_[i] = start.placements[i].offset;
      pool_[i] = start.placements[i].pool;
      if (size(i) > 0) ends_[pool_[i]].insert({offset_[i] + size(i), static_cast<std::int32_t>(i)});
    }
    index_blocks();
  }

  Bytes total() const {
    Bytes sum = 0;
    for (std::size_t p = 0; p < ends_.size(); ++p) sum += top(p);
    return sum;
  }

  // One move on a pool with a movable top buffer; false when there is none. Counts its work.
  bool move(std::int64_t& work);

  void write(Plan& plan) const {
    for (std::size_t i = 0; i < offset_.size(); ++i) plan.placements[i] = {pool_[i], offset_[i]};
  }

 private:
  Bytes size(std::size_t i) const { return problem_.buffers[i].size; }
  bool movable(std::int32_t i) const { return size(i) > 0 && !problem_.buffers[i].fixed_offset; }
  Bytes top(std::size_t p) const { return ends_[p].empty() ? 0 : ends_[p].rbegin()->first; }
  std::int64_t at_top(std::size_t p) const {
    std::int64_t count = 0;
    const Bytes t = top(p);
    for (auto it = ends_[p].rbegin(); it != ends_[p].rend() && it->first == t && count < kCountCap; ++it) ++count;
    return count;
  }
  Bytes end_of(std::int32_t i) const { return offset_[i] + size(i); }
  void take_out(std::int32_t i) {
    ends_[pool_[i]].erase({end_of(i), i});
    out_[i] = 1;
  }
  void put_back(std::int32_t i, Bytes offset) {
    offset_[i] = offset;
    out_[i] = 0;
    ends_[pool_[i]].insert({end_of(i), i});
  }
  void index_blocks();
  std::int64_t block_of(Step step) const {
    return std::clamp<std::int64_t>((step - first_step_) / block_steps_, 0,
                                    static_cast<std::int64_t>(blocks_.size()) - 1);
  }
  std::int32_t pick_seed(std::int32_t p);
  bool conflict(std::int32_t i, std::int32_t j) const;
  template <typename F>
  void for_each_above(std::int32_t p, Interval span, Bytes low, std::int64_t& work, F&& f);
  void collect(std::int32_t p, std::int32_t seed, Interval span, Bytes low, bool whole, std::size_t most,
               std::int64_t& work);
  void keep_highest(std::size_t most);
  void order_window(Refill refill);
  bool refill(std::int32_t p, Bytes low, Fit fit, std::int64_t& work);

  const Problem& problem_;
  const ConflictIndex& index_;
  std::mt19937_64 rng_;
  std::vector<Bytes> offset_;
  std::vector<std::int32_t> pool_;
  std::vector<char> out_;                            // taken out by the current move
  std::vector<std::set<End>> ends_;                  // per pool: its placed buffers by end (the top is the last)
  std::vector<std::int32_t> band_;                   // what can be in the way of the current move
  std::vector<std::int32_t> window_;                 // those it re-places
  std::vector<std::pair<std::int32_t, Bytes>> old_;  // their offsets before the move
  std::vector<Segment> segments_;
  Step first_step_ = 0;                            // the time blocks: where they start,
  Step block_steps_ = 1;                           // how many steps each covers,
  std::vector<std::vector<std::int32_t>> blocks_;  // and the buffers live in each
  std::vector<std::int64_t> seen_;                 // the move that last looked at a buffer
  std::int64_t move_id_ = 0;
};

// Splits the timeline into blocks and lists the buffers live in each: a move finds the buffers
// near its window in time by looking at a few blocks, not at the whole problem.
void Search::index_blocks() {
  Step first = std::numeric_limits<Step>::max(), last = std::numeric_limits<Step>::min();
  for (const Buffer& b : problem_.buffers)
    for (const Interval& r : b.live) {
      first = std::min(first, r.first);
      last = std::max(last, r.last);
    }
  if (first >= last) return;
  const auto count = static_cast<Step>(std::clamp<std::size_t>(problem_.buffers.size() / 16, 1, kBlocks));
  first_step_ = first;
  block_steps_ = std::max<Step>(1, (last - first + count - 1) / count);
  blocks_.resize(static_cast<std::size_t>((last - first + block_steps_ - 1) / block_steps_));
  for (std::size_t i = 0; i < problem_.buffers.size(); ++i) {
    if (size(i) == 0) continue;
    std::int64_t previous = -1;  // a buffer listed once per block, even with several ranges in it
    for (const Interval& r : problem_.buffers[i].live)
      for (std::int64_t k = std::max(previous + 1, block_of(r.first)); k <= block_of(r.last - 1); ++k) {
        blocks_[static_cast<std::size_t>(k)].push_back(static_cast<std::int32_t>(i));
        previous = k;
      }
  }
}

std::int32_t Search::pick_seed(std::int32_t p) {
  std::vector<std::int32_t> choices;
  std::size_t highest = 0;  // choices at the very top
  for (auto it = ends_[p].rbegin(); it != ends_[p].rend() && choices.size() < kTopChoices; ++it) {
    if (!movable(it->second)) continue;
    choices.push_back(it->second);
    if (it->first == top(p)) highest = choices.size();
  }
  if (choices.empty()) return -1;
  // Mostly a buffer that sets the size; sometimes one just below, to make room there first.
  const std::size_t range = highest > 0 && rng_() % 4 != 0 ? highest : choices.size();
  return choices[rng_() % range];
}

bool Search::conflict(std::int32_t i, std::int32_t j) const {
  const Buffer& a = problem_.buffers[i];
  return live_ranges_overlap(a, problem_.buffers[j]) || std::binary_search(a.conflicts.begin(), a.conflicts.end(), j);
}

Interval hull(const Buffer& b) { return {b.live.front().first, b.live.back().last}; }

// Calls f(j) once for every buffer of pool p live within `span` that reaches above `low`.
template <typename F>
void Search::for_each_above(std::int32_t p, Interval span, Bytes low, std::int64_t& work, F&& f) {
  ++move_id_;
  for (std::int64_t k = block_of(span.first); k <= block_of(span.last - 1); ++k) {
    for (std::int32_t j : blocks_[static_cast<std::size_t>(k)]) {
      ++work;
      if (seen_[j] == move_id_) continue;
      seen_[j] = move_id_;
      const Buffer& b = problem_.buffers[j];
      if (pool_[j] != p || end_of(j) <= low) continue;
      if (std::any_of(b.live.begin(), b.live.end(),
                      [&](const Interval& r) { return r.first < span.last && span.first < r.last; }))
        f(j);
    }
  }
}

// The window: the seed and the movable buffers above `low` that overlap the seed in time (or,
// when `whole`, anything in `span`) and live within three times the span, the `most` highest
// of them. The band: every buffer that can be in the way of the window re-placed above `low`
// (live within the window's span, above `low`). The window shrinks (its lowest go) until
// re-placing it costs at most kMoveWork.
void Search::collect(std::int32_t p, std::int32_t seed, Interval span, Bytes low, bool whole, std::size_t most,
                     std::int64_t& work) {
  window_.assign(1, seed);
  out_[seed] = 1;
  const Step length = span.last - span.first;
  const Interval outer{span.first - length, span.last + length};
  for_each_above(p, span, low, work, [&](std::int32_t j) {
    const Interval h = hull(problem_.buffers[j]);
    if (!out_[j] && movable(j) && offset_[j] >= low && outer.first <= h.first && h.last <= outer.last &&
        (whole || conflict(seed, j))) {
      out_[j] = 1;  // marked now; taken out of ends_ with the rest of the window
      window_.push_back(j);
    }
  });
  keep_highest(most);
  for (std::int32_t i : window_) {
    const Interval h = hull(problem_.buffers[i]);
    span = {std::min(span.first, h.first), std::max(span.last, h.last)};
  }
  band_.clear();
  for_each_above(p, span, low, work, [&](std::int32_t j) { band_.push_back(j); });
  // A refill looks at the band about 7 times per window buffer (the scan, the sort).
  keep_highest(std::max<std::size_t>(1, kMoveWork / (7 * band_.size())));
}

// Keeps the `most` highest window buffers (the seed first): they are the ones in the way of a
// lower top; the others stay where they are.
void Search::keep_highest(std::size_t most) {
  if (window_.size() <= most) return;
  std::nth_element(window_.begin() + 1, window_.begin() + static_cast<std::ptrdiff_t>(most), window_.end(),
                   [&](std::int32_t a, std::int32_t b) { return std::pair(-end_of(a), a) < std::pair(-end_of(b), b); });
  for (std::size_t k = most; k < window_.size(); ++k) out_[window_[k]] = 0;
  window_.resize(most);
}

void Search::order_window(Refill refill) {
  auto length = [&](std::int32_t i) {
    Step sum = 0;
    for (const Interval& r : problem_.buffers[i].live) sum += r.last - r.first;
    return sum;
  };
  switch (refill) {
    case Refill::compact:
      std::sort(window_.begin(), window_.end(),
                [&](std::int32_t a, std::int32_t b) { return std::pair(offset_[a], a) < std::pair(offset_[b], b); });
      break;
    case Refill::size:
      std::sort(window_.begin(), window_.end(),
                [&](std::int32_t a, std::int32_t b) { return std::pair(-size(a), a) < std::pair(-size(b), b); });
      break;
    case Refill::longest:
      std::sort(window_.begin(), window_.end(), [&](std::int32_t a, std::int32_t b) {
        return std::tuple(-length(a), -size(a), a) < std::tuple(-length(b), -size(b), b);
      });
      break;
    case Refill::shuffle:
      // Fisher-Yates with the search's own generator: the same order with every standard library.
      for (std::size_t k = window_.size(); k > 1; --k) std::swap(window_[k - 1], window_[rng_() % k]);
      break;
  }
}

// Places the window's buffers, in order, at their gaps above `low` among the band's placed
// buffers (nothing below `low` reaches into the band).
bool Search::refill(std::int32_t p, Bytes low, Fit fit, std::int64_t& work) {
  const Pool& pool = problem_.pools[p];
  const Bytes limit = pool.limit ? *pool.limit : kNoLimit;
  const OverlapIndex& overlaps = index_.overlaps();
  for (std::int32_t i : window_) {
    const Buffer& b = problem_.buffers[i];
    segments_.assign(1, Segment{0, low, -1});
    for (std::int32_t j : band_) {
      if (out_[j] || !conflict(i, j)) continue;
      if (const OverlapPartner* partner = overlaps.find(i, j)) {
        // An allowance: only part of the partner is in the way (overlap.h).
        const OccupiedSegment s = occupied_by_partner(*partner, b.size, offset_[j], size(j));
        segments_.push_back({s.begin, s.end, j});
      } else {
        segments_.push_back({offset_[j], end_of(j), j});
      }
    }
    // The scan, and the sort at about log2(64) compares per segment.
    work += static_cast<std::int64_t>(band_.size() + 6 * segments_.size());
    std::sort(segments_.begin(), segments_.end(), [](const Segment& x, const Segment& y) { return x.begin < y.begin; });
    const Bytes offset = find_gap(segments_, b.size, b.alignment, limit, fit);
    if (offset + b.size > limit) return false;
    put_back(i, offset);
  }
  return true;
}

bool Search::move(std::int64_t& work) {
  std::vector<std::int32_t> pools;
  for (std::size_t p = 0; p < ends_.size(); ++p)
    if (top(p) > 0) pools.push_back(static_cast<std::int32_t>(p));
  if (pools.empty()) return false;
  const std::int32_t p = pools[rng_() % pools.size()];
  const std::int32_t seed = pick_seed(p);
  if (seed < 0) return false;
  const Bytes before = top(p);
  const std::int64_t count = at_top(p);

  // The window's extent varies from move to move: in time, the seed's life and up to three
  // times as much on each side; in address, from the seed down by 1/8 to all of the pool.
  const Interval life = hull(problem_.buffers[seed]);
  const Step margin = (life.last - life.first) * static_cast<Step>(rng_() % 4);
  const Interval span{life.first - margin, life.last + margin};
  const Bytes low = std::max<Bytes>(0, offset_[seed] - (before >> (rng_() % 4)));
  const bool whole = rng_() % 2 == 0;
  collect(p, seed, span, low, whole, kMaxWindow >> (rng_() % 4), work);
  old_.clear();
  for (std::int32_t i : window_) {
    old_.push_back({i, offset_[i]});
    take_out(i);
  }
  work += 4 * static_cast<std::int64_t>(window_.size());  // the ends' updates, out and back

  const auto refill_kind = static_cast<Refill>(rng_() % 4);
  const Fit fit = refill_kind == Refill::compact || rng_() % 2 == 0 ? Fit::first : Fit::best;
  order_window(refill_kind);
  const bool fits = refill(p, low, fit, work);
  // Keep the move unless the pool grew or more buffers reach its top (ties walk the plateau).
  if (fits && (top(p) < before || (top(p) == before && at_top(p) <= count))) return true;
  for (const auto& [i, offset] : old_) {
    if (!out_[i]) take_out(i);
    put_back(i, offset);
  }
  return true;
}

}  // namespace

bool window_search_applies(const Problem& problem) {
  return std::all_of(problem.buffers.begin(), problem.buffers.end(),
                     [](const Buffer& b) { return b.conflicts.empty() && (b.size == 0 || !b.live.empty()); });
}

WindowResult window_search(const Problem& problem, const ConflictIndex& index, const Plan& start,
                           const AlgorithmContext& context) {
  WindowResult result{start, 0, 0};
  Search search(problem, index, start, context.options.seed);
  context.budget.charge(static_cast<std::int64_t>(problem.buffers.size()));  // the indexes, once
  Bytes total = search.total();
  const Budget& budget = context.budget;
  while (total > context.lower_bound && !budget.exhausted()) {
    std::int64_t work = 0;
    const bool moved = search.move(work);
    budget.charge(work);
    if (!moved) break;
    ++result.moves;
    if (const Bytes now = search.total(); now < total) {
      total = now;
      ++result.improved;
      context.report_progress(total);
    }
  }
  search.write(result.plan);
  compute_pool_sizes(problem, result.plan);
  return result;
}

void register_window_search() {
  register_algorithm({"window_search",
                      "best fit by size, then local search re-placing the buffers around the peak against the fixed "
                      "rest (moves cost in proportion to the neighbourhood: for large problems)",
                      [](const Problem& problem, const AlgorithmContext& context) {
                        if (!window_search_applies(problem))
                          throw InputError("window_search needs live ranges for every buffer (no explicit conflicts)");
                        const ConflictIndex index(problem);
                        const Budget first = context.budget.uncapped();  // the search needs a plan to start from
                        Placed start = run_gap_fill(problem, index, Fit::best, Ordering::size, &first);
                        if (!start.fits()) throw NoSolution(describe_overflow(problem, start));
                        WindowResult r = window_search(problem, index, start.plan, context);
                        r.plan.algorithm = "window_search";
                        return r.plan;
                      }});
}

}  // namespace arenaplan::detail
