#include "algorithms/exact_search.h"

#include <algorithm>
#include <limits>
#include <map>

#include "algorithms/exact_order.h"

namespace arenaplan::exact {
namespace {

constexpr Bytes kInfinity = std::numeric_limits<Bytes>::max() / 4;

Bytes align_up(Bytes value, Bytes alignment) {
  return alignment <= 1 ? value : (value + alignment - 1) / alignment * alignment;
}

}  // namespace

Search::Search(const Instance& instance, const std::vector<std::int32_t>& preorder, std::string keys)
    : keys_(std::move(keys)) {
  n_ = instance.size();
  item_of_ = preorder;
  std::vector<std::int32_t> position(static_cast<std::size_t>(n_));
  for (std::int32_t p = 0; p < n_; ++p) position[item_of_[p]] = p;
  size_.resize(n_);
  align_.resize(n_);
  fixed_.resize(n_);
  neighbours_.resize(n_);
  cliques_of_.resize(n_);
  for (std::int32_t p = 0; p < n_; ++p) {
    const std::int32_t item = item_of_[p];
    size_[p] = instance.items[item].size;
    align_[p] = std::max<Bytes>(1, instance.items[item].alignment);
    fixed_[p] = instance.items[item].fixed;
    for (std::int32_t other : instance.neighbours[item]) neighbours_[p].push_back(position[other]);
    std::sort(neighbours_[p].begin(), neighbours_[p].end());
    cliques_of_[p] = instance.item_cliques[item];
  }
  members_.resize(instance.cliques.size());
  for (std::size_t s = 0; s < instance.cliques.size(); ++s) {
    for (std::int32_t item : instance.cliques[s]) members_[s].push_back(position[item]);
    std::sort(members_[s].begin(), members_[s].end());
  }
  // Identical items (same size and alignment, same conflicts besides each other) are
  // interchangeable: they are placed in preorder only.
  twin_before_.assign(n_, -1);
  std::map<std::vector<std::int64_t>, std::int32_t> last_seen;
  for (std::int32_t p = 0; p < n_; ++p) {
    if (fixed_[p] != kNoFixedOffset) continue;
    std::vector<std::int64_t> key{size_[p], align_[p]};
    std::vector<std::int32_t> closed = neighbours_[p];
    closed.insert(std::lower_bound(closed.begin(), closed.end(), p), p);
    key.insert(key.end(), closed.begin(), closed.end());
    auto [it, inserted] = last_seen.try_emplace(std::move(key), p);
    if (!inserted) {
      twin_before_[p] = it->second;
      it->second = p;
    }
  }
  timeline_ = instance.timeline && members_.size() > 1;
  width_.resize(n_);
  first_.resize(n_);
  rank_.resize(n_);
  for (std::int32_t p = 0; p < n_; ++p) {
    width_[p] = instance.items[item_of_[p]].width;
    first_[p] = instance.items[item_of_[p]].first;
    rank_[p] = p;
  }
  span_lo_.assign(n_, 0);
  span_hi_.assign(n_, 0);
  for (std::int32_t p = 0; p < n_; ++p) {
    span_lo_[p] = *std::min_element(cliques_of_[p].begin(), cliques_of_[p].end());
    span_hi_[p] = *std::max_element(cliques_of_[p].begin(), cliques_of_[p].end());
  }
  cut_.assign(members_.size(), 0);
  placed_.resize(n_);
  offset_.resize(n_);
  floor_.resize(n_);
  cand_.resize(n_);
  next_.resize(n_ + 1);
  prev_.resize(n_ + 1);
  top_.resize(members_.size());
  sum_.resize(members_.size());
  min_cand_.resize(members_.size());
  min_count_.resize(members_.size());
  stamp_.assign(members_.size(), 0);
  solution_.assign(n_, 0);
}

void Search::reset(Bytes capacity) {
  capacity_ = capacity;
  nodes_ = 0;
  timed_out_ = false;
  remaining_ = n_;
  trail_.clear();
  stack_.clear();
  for (std::int32_t p = 0; p < n_; ++p) {
    placed_[p] = 0;
    offset_[p] = 0;
    floor_[p] = 0;
    cand_[p] = fixed_[p] != kNoFixedOffset ? fixed_[p] : 0;
  }
  // Linked list of unplaced positions in preorder; n_ is the head sentinel.
  for (std::int32_t p = 0; p <= n_; ++p) {
    next_[p] = p == n_ ? 0 : p + 1;
    prev_[p] = p == 0 ? n_ : p - 1;
  }
  if (n_ == 0) next_[n_] = prev_[n_] = n_;
  std::fill(cut_.begin(), cut_.end(), 0);
  if (timeline_) {
    for (std::int32_t p = 0; p < n_; ++p) {
      for (std::int32_t s = span_lo_[p]; s < span_hi_[p]; ++s) ++cut_[s];
    }
  }
  for (std::size_t s = 0; s < members_.size(); ++s) {
    top_[s] = 0;
    sum_[s] = 0;
    for (std::int32_t p : members_[s]) sum_[s] += size_[p];
    rescan(static_cast<std::int32_t>(s));
  }
  trail_.clear();
}

void Search::rescan(std::int32_t s) {
  Bytes low = kInfinity, count = 0;
  for (std::int32_t p : members_[s]) {
    if (placed_[p]) continue;
    if (cand_[p] < low) {
      low = cand_[p];
      count = 1;
    } else if (cand_[p] == low) {
      ++count;
    }
  }
  set(min_cand_[s], low);
  set(min_count_[s], count);
}

void Search::touch(std::int32_t s) {
  if (stamp_[s] == stamp_now_) return;
  stamp_[s] = stamp_now_;
  dirty_.push_back(s);
}

Outcome Search::run(Bytes capacity, std::int64_t node_limit, const Budget* budget) {
  reset(capacity);
  node_limit_ = node_limit;
  budget_ = budget;
  work_ = 0;
  Bytes max_sum = 0;
  for (std::int32_t p = 0; p < n_; ++p) {
    if (size_[p] > capacity) return Outcome::infeasible;
    if (fixed_[p] != kNoFixedOffset && fixed_[p] + size_[p] > capacity) return Outcome::infeasible;
  }
  for (std::size_t s = 0; s < members_.size(); ++s) {
    if (sum_[s] > capacity) return Outcome::infeasible;
    max_sum = std::max(max_sum, sum_[s]);
  }
  const Outcome outcome = dfs(0, -1, max_sum, 0, static_cast<std::int32_t>(members_.size()) - 1);
  if (budget_ != nullptr) budget_->charge(work_);
  if (outcome == Outcome::found) {
    solution_peak_ = 0;
    for (std::int32_t p = 0; p < n_; ++p) solution_peak_ = std::max(solution_peak_, solution_[item_of_[p]] + size_[p]);
  }
  return outcome;
}

Bytes Search::max_sum_in(std::int32_t lo, std::int32_t hi) const {
  Bytes max_sum = 0;
  for (std::int32_t s = lo; s <= hi; ++s) max_sum = std::max(max_sum, sum_[s]);
  return max_sum;
}

void Search::rerank(std::vector<std::int32_t>& part) {
  // The part's items by the search's keys, with the clique totals of what is left unplaced.
  std::vector<OrderFeatures> features(part.size());
  for (std::size_t i = 0; i < part.size(); ++i) {
    const std::int32_t p = part[i];
    Bytes total = 0;
    for (std::int32_t s : cliques_of_[p]) total = std::max(total, sum_[s]);
    features[i] = {width_[p], size_[p], total, first_[p], fixed_[p] != kNoFixedOffset};
  }
  std::vector<std::int32_t> order(part.size());  // indices into `part`, ascending position
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int32_t>(i);
  std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    const int by_keys = compare_by_keys(features[a], features[b], keys_);
    return by_keys != 0 ? by_keys < 0 : rank_[part[a]] < rank_[part[b]];
  });
  for (std::size_t i = 0; i < order.size(); ++i) rank_[part[order[i]]] = static_cast<std::int32_t>(i);
}

void Search::relink(const std::vector<std::int32_t>& positions) {
  std::int32_t last = n_;
  for (std::int32_t p : positions) {
    next_[last] = p;
    prev_[p] = last;
    last = p;
  }
  next_[last] = n_;
  prev_[n_] = last;
}

bool Search::decompose(std::int32_t lo, std::int32_t hi, Outcome& outcome) {
  // Quick rejection: the listed items must straddle some zero cut.
  std::int32_t first_end = hi, last_start = lo;
  for (std::int32_t p = next_[n_]; p != n_; p = next_[p]) {
    first_end = std::min(first_end, span_hi_[p]);
    last_start = std::max(last_start, span_lo_[p]);
  }
  bool straddled = false;
  for (std::int32_t s = first_end; s < last_start && !straddled; ++s) straddled = cut_[s] == 0;
  if (!straddled) return false;
  std::vector<std::int32_t> listed;
  for (std::int32_t p = next_[n_]; p != n_; p = next_[p]) listed.push_back(p);
  // Parts: maximal section ranges between zero cuts; every listed item lies in one.
  std::vector<std::int32_t> part_of_section(static_cast<std::size_t>(hi - lo + 1));
  std::int32_t parts = 0;
  for (std::int32_t s = lo; s <= hi; ++s) {
    part_of_section[s - lo] = parts;
    if (s < hi && cut_[s] == 0) ++parts;
  }
  ++parts;
  std::vector<std::vector<std::int32_t>> items(static_cast<std::size_t>(parts));
  std::vector<std::pair<std::int32_t, std::int32_t>> range(static_cast<std::size_t>(parts), {hi + 1, lo - 1});
  for (std::int32_t p : listed) {
    const auto part = static_cast<std::size_t>(part_of_section[span_lo_[p] - lo]);
    items[part].push_back(p);
    range[part].first = std::min(range[part].first, span_lo_[p]);
    range[part].second = std::max(range[part].second, span_hi_[p]);
  }
  const auto non_empty = std::count_if(items.begin(), items.end(), [](const auto& v) { return !v.empty(); });
  if (non_empty < 2) return false;
  outcome = Outcome::found;
  for (std::size_t part = 0; part < items.size() && outcome == Outcome::found; ++part) {
    if (items[part].empty()) continue;
    std::vector<std::int32_t> saved(items[part].size());
    for (std::size_t i = 0; i < saved.size(); ++i) saved[i] = rank_[items[part][i]];
    rerank(items[part]);
    relink(items[part]);
    const auto [part_lo, part_hi] = range[part];
    outcome = dfs(0, -1, max_sum_in(part_lo, part_hi), part_lo, part_hi);
    for (std::size_t i = 0; i < saved.size(); ++i) rank_[items[part][i]] = saved[i];
  }
  relink(listed);
  return true;
}

Outcome Search::dfs(Bytes last_offset, std::int32_t last_rank, Bytes max_sum, std::int32_t lo, std::int32_t hi) {
  if (next_[n_] == n_) {  // every listed item is placed: record all placed items
    for (std::int32_t p = 0; p < n_; ++p) {
      if (placed_[p]) solution_[item_of_[p]] = offset_[p];
    }
    return Outcome::found;
  }
  ++nodes_;
  if (node_limit_ >= 0 && nodes_ > node_limit_) return Outcome::aborted;
  if ((nodes_ & 255) == 0 && budget_ != nullptr) {  // fixed points: a work stop is reproducible
    budget_->charge(work_);
    work_ = 0;
    if (budget_->exhausted()) timed_out_ = true;
  }
  if (timed_out_) return Outcome::aborted;

  // Dominance: nothing goes at or above the lowest end an unplaced item can reach.
  Bytes min_top = kInfinity;
  ++work_;
  for (std::int32_t p = next_[n_]; p != n_; p = next_[p]) {
    min_top = std::min(min_top, cand_[p] + size_[p]);
    ++work_;
  }
  const std::size_t begin = stack_.size();
  for (std::int32_t p = next_[n_]; p != n_; p = next_[p]) {
    const Bytes c = cand_[p];
    if (c >= min_top) continue;
    if (c < last_offset || (c == last_offset && rank_[p] < last_rank)) continue;  // canonical order
    if (twin_before_[p] >= 0 && !placed_[twin_before_[p]]) continue;              // symmetry
    stack_.push_back(p);
  }
  std::sort(stack_.begin() + static_cast<std::ptrdiff_t>(begin), stack_.end(), [this](std::int32_t a, std::int32_t b) {
    return cand_[a] != cand_[b] ? cand_[a] < cand_[b] : rank_[a] < rank_[b];
  });
  const std::size_t end = stack_.size();
  bool exact_max_sum = false;
  for (std::size_t i = begin; i < end; ++i) {
    const std::int32_t p = stack_[i];
    const Bytes offset = cand_[p];
    // Cheap tests first. Every clique's unplaced items go at or above `offset`: when the
    // heaviest does not fit above it, no candidate from here on fits (they are sorted).
    if (offset + max_sum > capacity_) {
      if (!exact_max_sum) {
        max_sum = max_sum_in(lo, hi);
        exact_max_sum = true;
      }
      if (offset + max_sum > capacity_) break;
    }
    // The cliques of p hold p and their other unplaced items above `offset`.
    if (std::any_of(cliques_of_[p].begin(), cliques_of_[p].end(),
                    [&](std::int32_t s) { return offset + sum_[s] > capacity_; })) {
      continue;
    }
    const std::size_t mark = trail_.size();
    bool raised = false;
    Bytes child_max_sum = max_sum;
    Outcome outcome = Outcome::infeasible;
    if (apply(p, offset, raised, child_max_sum, lo, hi)) {
      if (!(new_cut_ && decompose(lo, hi, outcome))) outcome = dfs(offset, rank_[p], child_max_sum, lo, hi);
    }
    undo(p, mark);
    if (outcome != Outcome::infeasible) {
      stack_.resize(begin);
      return outcome;
    }
    if (!raised) break;  // the placement touched nobody: its siblings fail as well
  }
  stack_.resize(begin);
  return Outcome::infeasible;
}

bool Search::apply(std::int32_t p, Bytes offset, bool& raised, Bytes& max_sum, std::int32_t lo, std::int32_t hi) {
  const Bytes top = offset + size_[p];
  new_cut_ = false;
  if (timeline_) {
    for (std::int32_t s = span_lo_[p]; s < span_hi_[p]; ++s) {
      if (--cut_[s] == 0 && s >= lo && s < hi) new_cut_ = true;
    }
  }
  placed_[p] = 1;
  offset_[p] = offset;
  next_[prev_[p]] = next_[p];
  prev_[next_[p]] = prev_[p];
  --remaining_;
  ++stamp_now_;
  dirty_.clear();
  for (std::int32_t s : cliques_of_[p]) {
    set(top_[s], std::max(top_[s], top));
    sum_[s] -= size_[p];  // added back by undo()
    if (cand_[p] == min_cand_[s]) {
      set(min_count_[s], min_count_[s] - 1);
      if (min_count_[s] == 0) rescan(s);
    }
    touch(s);
  }
  raised = false;
  for (std::int32_t v : neighbours_[p]) {
    if (placed_[v] || floor_[v] >= top) continue;
    raised = true;
    set(floor_[v], top);
    if (fixed_[v] != kNoFixedOffset) {
      if (top > fixed_[v]) return false;
      continue;
    }
    const Bytes old = cand_[v];
    const Bytes fresh = align_up(top, align_[v]);
    if (fresh == old) continue;
    set(cand_[v], fresh);
    if (fresh + size_[v] > capacity_) return false;
    for (std::int32_t s : cliques_of_[v]) {
      // Only a clique whose lowest candidate rose needs checking again (the rise of `offset` is
      // checked for all cliques at once below).
      if (old == min_cand_[s]) {
        set(min_count_[s], min_count_[s] - 1);
        if (min_count_[s] == 0) {
          rescan(s);
          touch(s);
        }
      }
    }
  }
  // Every clique's unplaced items stack above its floor.
  for (std::int32_t s : dirty_) {
    if (sum_[s] == 0) continue;
    const Bytes floor = std::max({top_[s], min_cand_[s], offset});
    if (floor + sum_[s] > capacity_) return false;
  }
  if (offset + max_sum > capacity_) {
    max_sum = max_sum_in(lo, hi);
    if (offset + max_sum > capacity_) return false;
  }
  return true;
}

void Search::undo(std::int32_t p, std::size_t mark) {
  while (trail_.size() > mark) {
    const TrailEntry& entry = trail_.back();
    *entry.where = entry.old;
    trail_.pop_back();
  }
  if (timeline_) {
    for (std::int32_t s = span_lo_[p]; s < span_hi_[p]; ++s) ++cut_[s];
  }
  for (std::int32_t s : cliques_of_[p]) sum_[s] += size_[p];
  placed_[p] = 0;
  next_[prev_[p]] = p;
  prev_[next_[p]] = p;
  ++remaining_;
}

}  // namespace arenaplan::exact
