#include "algorithms/exact_search.h"

#include <algorithm>
#include <limits>
#include <map>

namespace arenaplan::exact {
namespace {

constexpr Bytes kInfinity = std::numeric_limits<Bytes>::max() / 4;
// Neighbours and clique members looked at per work unit. Those scans take most of the time
// (80 % on challenging D); billed a unit per node and per unplaced item only, a minimisation ran
// at 6-7 M units a second, below kWorkUnitsPerSecond, and so stopped at the deadline, not the
// reproducible work limit.
constexpr std::int64_t kScansPerUnit = 16;

Bytes align_up(Bytes value, Bytes alignment) {
  return alignment <= 1 ? value : (value + alignment - 1) / alignment * alignment;
}

}  // namespace

// The steps of a node are `inline`: they are named for reading, and the compiler merges them back
// into dfs() and raise_neighbours(), as fast as the one-piece search they replaced (cachegrind:
// fewer instructions, same branch misses).

Search::Search(const Instance& instance, const std::vector<std::int32_t>& preorder, std::string keys)
    : keys_(std::move(keys)) {
  n_ = instance.size();
  const auto n = static_cast<std::size_t>(n_);
  Items& it = items_;
  it.instance_index = preorder;
  std::vector<std::int32_t> position(n);
  for (std::int32_t p = 0; p < n_; ++p) position[it.instance_index[p]] = p;
  it.size.resize(n);
  it.alignment.resize(n);
  it.fixed.resize(n);
  it.neighbours.resize(n);
  it.cliques.resize(n);
  it.features.resize(n);
  for (std::int32_t p = 0; p < n_; ++p) {
    const std::int32_t index = it.instance_index[p];
    const Item& item = instance.items[index];
    it.size[p] = item.size;
    it.alignment[p] = std::max<Bytes>(1, item.alignment);
    it.fixed[p] = item.fixed;
    for (std::int32_t other : instance.neighbours[index]) it.neighbours[p].push_back(position[other]);
    std::sort(it.neighbours[p].begin(), it.neighbours[p].end());
    it.cliques[p] = instance.item_cliques[index];
    it.features[p] = {item.width, item.size, 0, item.first, item.fixed != kNoFixedOffset};
  }
  members_.resize(instance.cliques.size());
  for (std::size_t s = 0; s < instance.cliques.size(); ++s) {
    for (std::int32_t index : instance.cliques[s]) members_[s].push_back(position[index]);
    std::sort(members_[s].begin(), members_[s].end());
  }
  find_twins();
  timeline_ = instance.timeline && members_.size() > 1;
  it.first_section.resize(n);
  it.last_section.resize(n);
  for (std::int32_t p = 0; p < n_; ++p) {
    it.first_section[p] = *std::min_element(it.cliques[p].begin(), it.cliques[p].end());
    it.last_section[p] = *std::max_element(it.cliques[p].begin(), it.cliques[p].end());
  }
  state_.placed.resize(n);
  state_.offset.resize(n);
  state_.floor.resize(n);
  state_.candidate.resize(n);
  state_.rank.resize(n);
  for (std::int32_t p = 0; p < n_; ++p) state_.rank[p] = p;
  unplaced_.next.resize(n + 1);
  unplaced_.prev.resize(n + 1);
  unplaced_.head = n_;
  cliques_.resize(members_.size());
  crossing_.assign(members_.size(), 0);
  scratch_.cover_node.assign(members_.size(), 0);
  scratch_.coverers.assign(members_.size(), 0);
  scratch_.last_cover.assign(members_.size(), 0);
  solution_.assign(n, 0);
}

// Dominance among identical items (same size and alignment, same conflicts besides each other):
// they are interchangeable, so they are placed in preorder only.
void Search::find_twins() {
  Items& it = items_;
  it.twin_before.assign(static_cast<std::size_t>(n_), -1);
  std::map<std::vector<std::int64_t>, std::int32_t> last_seen;
  for (std::int32_t p = 0; p < n_; ++p) {
    if (it.fixed[p] != kNoFixedOffset) continue;
    std::vector<std::int64_t> key{it.size[p], it.alignment[p]};
    std::vector<std::int32_t> closed = it.neighbours[p];
    closed.insert(std::lower_bound(closed.begin(), closed.end(), p), p);
    key.insert(key.end(), closed.begin(), closed.end());
    auto [seen, inserted] = last_seen.try_emplace(std::move(key), p);
    if (!inserted) {
      it.twin_before[p] = seen->second;
      seen->second = p;
    }
  }
}

void Search::Unplaced::assign(const std::vector<std::int32_t>& positions) {
  std::int32_t last = head;
  for (std::int32_t p : positions) {
    next[last] = p;
    prev[p] = last;
    last = p;
  }
  next[last] = head;
  prev[head] = last;
}

void Search::reset(Bytes capacity) {
  effort_.capacity = capacity;
  effort_.nodes = 0;
  effort_.stopped = false;
  trail_.clear();
  scratch_.branches.clear();
  for (std::int32_t p = 0; p < n_; ++p) {
    state_.placed[p] = 0;
    state_.offset[p] = 0;
    state_.floor[p] = 0;
    state_.candidate[p] = items_.fixed[p] != kNoFixedOffset ? items_.fixed[p] : 0;
  }
  // Every item unplaced, in preorder.
  for (std::int32_t p = 0; p <= n_; ++p) {
    unplaced_.next[p] = p == n_ ? 0 : p + 1;
    unplaced_.prev[p] = p == 0 ? n_ : p - 1;
  }
  if (n_ == 0) unplaced_.next[n_] = unplaced_.prev[n_] = n_;
  std::fill(crossing_.begin(), crossing_.end(), 0);
  if (timeline_) {
    for (std::int32_t p = 0; p < n_; ++p) {
      for (std::int32_t s = items_.first_section[p]; s < items_.last_section[p]; ++s) ++crossing_[s];
    }
  }
  for (std::size_t s = 0; s < members_.size(); ++s) {
    Clique& clique = cliques_[s];
    clique.top = 0;
    clique.sum = 0;
    for (std::int32_t p : members_[s]) clique.sum += items_.size[p];
    const Lowest lowest = lowest_candidate(static_cast<std::int32_t>(s));
    clique.min_candidate = lowest.candidate;
    clique.min_count = lowest.count;
  }
}

Outcome Search::run(Bytes capacity, std::int64_t node_limit, const Budget* budget, Gate* gate) {
  reset(capacity);
  effort_.node_limit = node_limit;
  effort_.budget = budget;
  effort_.gate = gate;
  effort_.unbilled = 0;
  Bytes max_sum = 0;
  for (std::int32_t p = 0; p < n_; ++p) {
    if (items_.size[p] > capacity) return Outcome::infeasible;
    if (items_.fixed[p] != kNoFixedOffset && items_.fixed[p] + items_.size[p] > capacity) return Outcome::infeasible;
  }
  cover_first_ = true;
  for (const Clique& clique : cliques_) {
    if (clique.sum > capacity) return Outcome::infeasible;
    max_sum = std::max(max_sum, clique.sum);
    cover_first_ = cover_first_ && clique.sum == capacity;
  }
  const Outcome outcome = dfs(0, -1, max_sum, {0, static_cast<std::int32_t>(members_.size()) - 1});
  if (effort_.budget != nullptr) effort_.budget->charge(effort_.unbilled);  // the last slice's
  if (outcome == Outcome::found) {
    solution_peak_ = 0;
    for (std::int32_t p = 0; p < n_; ++p) {
      solution_peak_ = std::max(solution_peak_, solution_[items_.instance_index[p]] + items_.size[p]);
    }
  }
  return outcome;
}

// Counts a node; false when the run must stop (node limit, or the budget polled every 256
// nodes: fixed points, so that a work stop is reproducible).
inline bool Search::count_node() {
  Effort& e = effort_;
  ++e.nodes;
  if (e.node_limit >= 0 && e.nodes > e.node_limit) {
    if (e.gate == nullptr) return false;
    if (e.budget != nullptr) e.budget->charge(e.unbilled);
    e.unbilled = 0;
    if (!e.gate->pause()) return false;
  }
  if ((e.nodes & 255) == 0 && e.budget != nullptr) {
    e.budget->charge(e.unbilled);
    e.unbilled = 0;
    if (e.gate != nullptr) e.gate->poll(e.budget->work_done());
    if (e.budget->exhausted()) e.stopped = true;
  }
  return !e.stopped;
}

// Every listed item is placed: records every placed item (a decomposition's earlier parts
// recorded theirs already).
void Search::record_solution() {
  for (std::int32_t p = 0; p < n_; ++p) {
    if (state_.placed[p]) solution_[items_.instance_index[p]] = state_.offset[p];
  }
}

// One node: places the unplaced items of `span` after (last_offset, last_rank) in the canonical
// order. `max_sum` is at least the heaviest clique of `span` (sums only fall; recomputed lazily).
Outcome Search::dfs(Bytes last_offset, std::int64_t last_rank, Bytes max_sum, Span span) {
  if (unplaced_.empty()) {
    record_solution();
    return Outcome::found;
  }
  if (!count_node()) return Outcome::aborted;
  std::vector<std::int32_t>& branches = scratch_.branches;
  const std::size_t begin = branches.size();
  collect_branches(last_offset, last_rank, lowest_reachable_top());
  const std::size_t end = branches.size();
  const Cover cover = begin == end ? Cover{end, -1} : cover_rule(begin, end, span);
  const bool by_clique = cover.clique >= 0;
  const Bytes level = begin == end ? 0 : state_.candidate[branches[begin]];
  const Bytes capacity = effort_.capacity;
  bool exact_max_sum = false;
  for (std::size_t i = begin; i < (by_clique ? end : cover.stop); ++i) {
    const std::int32_t p = branches[i];
    const Bytes offset = state_.candidate[p];
    if (by_clique && (offset != level || std::find(items_.cliques[p].begin(), items_.cliques[p].end(), cover.clique) ==
                                             items_.cliques[p].end()))
      continue;
    // Section inference, its cheap tests first. Every clique's unplaced items go at or above
    // `offset`: when the heaviest does not fit above it, no branch from here on fits (they are
    // sorted by offset).
    if (offset + max_sum > capacity) {
      if (!exact_max_sum) {
        max_sum = heaviest_clique(span);
        exact_max_sum = true;
      }
      if (offset + max_sum > capacity) break;
    }
    // The cliques of p hold p and their other unplaced items above `offset`.
    if (std::any_of(items_.cliques[p].begin(), items_.cliques[p].end(),
                    [&](std::int32_t s) { return offset + cliques_[s].sum > capacity; })) {
      continue;
    }
    const std::size_t mark = trail_.size();
    Effects effects;
    Bytes child_max_sum = max_sum;
    Outcome outcome = Outcome::infeasible;
    if (place(p, offset, span, child_max_sum, effects)) {
      if (!(effects.new_cut && decompose(span, outcome))) {
        // A placement chosen by its clique leaves the canonical order where it was: the items
        // before it may still go at its level.
        outcome = by_clique ? dfs(last_offset, last_rank, child_max_sum, span)
                            : dfs(offset, state_.rank[p], child_max_sum, span);
      }
    }
    undo_to(mark);
    if (outcome != Outcome::infeasible) {
      branches.resize(begin);
      return outcome;
    }
    // The placement raised nobody's floor and still failed: its siblings fail as well.
    if (!effects.raised) break;
  }
  branches.resize(begin);
  return Outcome::infeasible;
}

// Dominance bound: the lowest top an unplaced item can reach. Placing anything at or above it
// would leave a gap that item fits in, so that placement is dominated.
inline Bytes Search::lowest_reachable_top() {
  Bytes min_top = kInfinity;
  ++effort_.unbilled;
  for (std::int32_t p : unplaced_) {
    min_top = std::min(min_top, state_.candidate[p] + items_.size[p]);
    ++effort_.unbilled;
  }
  return min_top;
}

// Canonical placement and dominance: the branches of a node are the unplaced items at their
// candidate offsets, below `min_top`, no earlier in the (offset, rank) order than the last
// placement, and not behind an unplaced identical item; pushed on the branch stack in that order.
inline void Search::collect_branches(Bytes last_offset, std::int64_t last_rank, Bytes min_top) {
  std::vector<std::int32_t>& branches = scratch_.branches;
  const std::size_t begin = branches.size();
  const std::vector<Bytes>& candidate = state_.candidate;
  const std::vector<std::int64_t>& rank = state_.rank;
  for (std::int32_t p : unplaced_) {
    const Bytes c = candidate[p];
    if (c >= min_top) continue;
    if (c < last_offset || (c == last_offset && rank[p] < last_rank)) continue;
    const std::int32_t twin = items_.twin_before[p];
    if (twin >= 0 && !state_.placed[twin]) continue;
    branches.push_back(p);
  }
  std::sort(branches.begin() + static_cast<std::ptrdiff_t>(begin), branches.end(), [&](std::int32_t a, std::int32_t b) {
    return candidate[a] != candidate[b] ? candidate[a] < candidate[b] : rank[a] < rank[b];
  });
}

// Cover rule: a clique at the branches' lowest offset `level` with no slack (its placed top is
// `level` and its unplaced items fill it to the capacity exactly) must get an item at `level`,
// one of this node's branches there (they all conflict in it: exactly one does). Siblings are
// tried in order and a branch passed over does not come back to that level (the canonical
// order), so no sibling after the last branch that covers such a clique can complete. A clique
// with one coverer makes that the node's one branch (a forced placement, tried before the
// unrelated items ahead of it in the canonical order). In a zero-waste packing (every clique
// without slack from the start, `cover_first_`) the clique with the fewest coverers does,
// whatever their number: exact cover's choice of column. (Elsewhere that loses the preorder's
// guidance: challenging F was not decided in 5 s.) Returns the branches the rule leaves.
Search::Cover Search::cover_rule(std::size_t begin, std::size_t end, Span span) {
  const std::vector<std::int32_t>& branches = scratch_.branches;
  const Bytes level = state_.candidate[branches[begin]];
  const std::uint64_t node = ++scratch_.cover_stamp;
  std::int64_t scanned = 0;
  for (std::size_t i = begin; i < end && state_.candidate[branches[i]] == level; ++i) {
    for (std::int32_t s : items_.cliques[branches[i]]) {
      if (scratch_.cover_node[s] != node) {
        scratch_.cover_node[s] = node;
        scratch_.coverers[s] = 0;
      }
      ++scratch_.coverers[s];
      scratch_.last_cover[s] = i;
    }
    scanned += static_cast<std::int64_t>(items_.cliques[branches[i]].size());
  }
  Cover cover{end, -1};
  const std::int32_t most = cover_first_ ? std::numeric_limits<std::int32_t>::max() : 1;
  std::int32_t fewest = 0;
  for (std::int32_t s = span.lo; s <= span.hi; ++s) {
    const Clique& clique = cliques_[s];
    if (clique.sum == 0 || clique.top != level || clique.top + clique.sum != effort_.capacity) continue;
    if (scratch_.cover_node[s] != node) {
      cover = {begin, -1};
      break;
    }
    cover.stop = std::min(cover.stop, scratch_.last_cover[s] + 1);
    if (scratch_.coverers[s] <= most && (cover.clique < 0 || scratch_.coverers[s] < fewest)) {
      fewest = scratch_.coverers[s];
      cover.clique = s;
    }
  }
  effort_.unbilled += (scanned + span.hi - span.lo + 1) / kScansPerUnit;
  return cover;
}

// Places p at `offset` and propagates; false when the result cannot be completed. Every change
// goes on the trail, so undo_to() reverts it whatever the result.
inline bool Search::place(std::int32_t p, Bytes offset, Span span, Bytes& max_sum, Effects& effects) {
  const Bytes top = offset + items_.size[p];
  effects.new_cut = mark_placed(p, offset, span);
  update_cliques_of(p, top);
  if (!raise_neighbours(p, top, effects.raised)) return false;
  return sections_fit(offset, max_sum, span);
}

// The placement itself (one trail entry, undone by unplace()): p leaves the unplaced list, the
// cliques' sums and the section boundaries it crosses. True when one of those boundaries inside
// `span` is no longer crossed by any unplaced item.
inline bool Search::mark_placed(std::int32_t p, Bytes offset, Span span) {
  trail_.push_back({nullptr, p});
  bool new_cut = false;
  if (timeline_) {
    for (std::int32_t s = items_.first_section[p]; s < items_.last_section[p]; ++s) {
      if (--crossing_[s] == 0 && s >= span.lo && s < span.hi) new_cut = true;
    }
  }
  state_.placed[p] = 1;
  state_.offset[p] = offset;
  unplaced_.remove(p);
  for (std::int32_t s : items_.cliques[p]) cliques_[s].sum -= items_.size[p];
  return new_cut;
}

inline void Search::unplace(std::int32_t p) {
  if (timeline_) {
    for (std::int32_t s = items_.first_section[p]; s < items_.last_section[p]; ++s) ++crossing_[s];
  }
  for (std::int32_t s : items_.cliques[p]) cliques_[s].sum += items_.size[p];
  state_.placed[p] = 0;
  unplaced_.restore(p);
}

// The cliques holding p: their placed top rises to p's, and p no longer counts for their lowest
// unplaced candidate. They are the first cliques section inference looks at.
inline void Search::update_cliques_of(std::int32_t p, Bytes top) {
  ++scratch_.stamp;
  scratch_.touched.clear();
  for (std::int32_t s : items_.cliques[p]) {
    Clique& clique = cliques_[s];
    set(clique.top, std::max(clique.top, top));
    if (state_.candidate[p] == clique.min_candidate) {
      set(clique.min_count, clique.min_count - 1);
      if (clique.min_count == 0) rescan(s);
    }
    touch(s);
  }
}

// Canonical placement of the neighbours: each unplaced neighbour's floor rises to p's top and its
// candidate becomes that floor aligned up. False when a neighbour can no longer fit (a fixed one
// lies below the floor, or the new candidate ends above the capacity). `raised`: some floor rose.
bool Search::raise_neighbours(std::int32_t p, Bytes top, bool& raised) {
  raised = false;
  effort_.unbilled += static_cast<std::int64_t>(items_.neighbours[p].size()) / kScansPerUnit;
  for (std::int32_t v : items_.neighbours[p]) {
    if (state_.placed[v] || state_.floor[v] >= top) continue;
    raised = true;
    set(state_.floor[v], top);
    const Bytes fixed = items_.fixed[v];
    if (fixed != kNoFixedOffset) {
      if (top > fixed) return false;
      continue;
    }
    const Bytes old = state_.candidate[v];
    const Bytes fresh = align_up(top, items_.alignment[v]);
    if (fresh == old) continue;
    set(state_.candidate[v], fresh);
    if (fresh + items_.size[v] > effort_.capacity) return false;
    for (std::int32_t s : items_.cliques[v]) {
      // Only a clique whose lowest candidate rose needs checking again (the rise of the current
      // offset is checked for all cliques at once, in sections_fit).
      Clique& clique = cliques_[s];
      if (old == clique.min_candidate) {
        set(clique.min_count, clique.min_count - 1);
        if (clique.min_count == 0) {
          rescan(s);
          touch(s);
        }
      }
    }
  }
  return true;
}

// Section inference (with MiniMalloc's unallocated floor and monotonic floor): every clique's
// unplaced items stack above its floor, the highest of its placed tops, its unplaced items'
// lowest candidate and the current offset (later placements are no lower). Checked for the
// cliques this placement touched, and for the heaviest clique of `span` above `offset`.
inline bool Search::sections_fit(Bytes offset, Bytes& max_sum, Span span) {
  const Bytes capacity = effort_.capacity;
  for (std::int32_t s : scratch_.touched) {
    const Clique& clique = cliques_[s];
    if (clique.sum == 0) continue;
    const Bytes floor = std::max({clique.top, clique.min_candidate, offset});
    if (floor + clique.sum > capacity) return false;
  }
  if (offset + max_sum > capacity) {
    max_sum = heaviest_clique(span);
    if (offset + max_sum > capacity) return false;
  }
  return true;
}

// Dynamic decomposition: splits the unplaced items at the section boundaries none of them
// crosses inside `span`. Returns false when they do not fall into two or more parts, else
// searches each part in turn (stopping at the first that is not found) and sets `outcome`.
bool Search::decompose(Span span, Outcome& outcome) {
  // Quick rejection: the listed items must straddle some uncrossed boundary.
  std::int32_t first_end = span.hi, last_start = span.lo;
  for (std::int32_t p : unplaced_) {
    first_end = std::min(first_end, items_.last_section[p]);
    last_start = std::max(last_start, items_.first_section[p]);
  }
  bool straddled = false;
  for (std::int32_t s = first_end; s < last_start && !straddled; ++s) straddled = crossing_[s] == 0;
  if (!straddled) return false;
  std::vector<std::int32_t> listed;
  for (std::int32_t p : unplaced_) listed.push_back(p);
  // Parts: maximal section ranges between uncrossed boundaries; every listed item lies in one.
  std::vector<std::int32_t> part_of_section(static_cast<std::size_t>(span.hi - span.lo + 1));
  std::int32_t parts = 0;
  for (std::int32_t s = span.lo; s <= span.hi; ++s) {
    part_of_section[s - span.lo] = parts;
    if (s < span.hi && crossing_[s] == 0) ++parts;
  }
  ++parts;
  std::vector<std::vector<std::int32_t>> items(static_cast<std::size_t>(parts));
  std::vector<Span> range(static_cast<std::size_t>(parts), {span.hi + 1, span.lo - 1});
  for (std::int32_t p : listed) {
    const auto part = static_cast<std::size_t>(part_of_section[items_.first_section[p] - span.lo]);
    items[part].push_back(p);
    range[part].lo = std::min(range[part].lo, items_.first_section[p]);
    range[part].hi = std::max(range[part].hi, items_.last_section[p]);
  }
  const auto non_empty = std::count_if(items.begin(), items.end(), [](const auto& v) { return !v.empty(); });
  if (non_empty < 2) return false;
  outcome = Outcome::found;
  for (std::size_t part = 0; part < items.size() && outcome == Outcome::found; ++part) {
    if (items[part].empty()) continue;
    const std::size_t mark = trail_.size();
    rerank(items[part]);
    unplaced_.assign(items[part]);
    outcome = dfs(0, -1, heaviest_clique(range[part]), range[part]);
    undo_to(mark);  // the part's ranks
  }
  unplaced_.assign(listed);
  return true;
}

// Ranks the part's items (ascending positions) by the search's keys, with the clique totals of
// what is left unplaced; ties keep their current rank order. Recorded on the trail.
void Search::rerank(const std::vector<std::int32_t>& part) {
  std::vector<OrderFeatures> features(part.size());
  for (std::size_t i = 0; i < part.size(); ++i) {
    const std::int32_t p = part[i];
    features[i] = items_.features[p];
    features[i].total = 0;
    for (std::int32_t s : items_.cliques[p]) features[i].total = std::max(features[i].total, cliques_[s].sum);
  }
  std::vector<std::int32_t> order(part.size());  // indices into `part`
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int32_t>(i);
  std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    const int by_keys = compare_by_keys(features[a], features[b], keys_);
    return by_keys != 0 ? by_keys < 0 : state_.rank[part[a]] < state_.rank[part[b]];
  });
  for (std::size_t i = 0; i < order.size(); ++i) set(state_.rank[part[order[i]]], static_cast<std::int64_t>(i));
}

inline Bytes Search::heaviest_clique(Span span) const {
  Bytes max_sum = 0;
  for (std::int32_t s = span.lo; s <= span.hi; ++s) max_sum = std::max(max_sum, cliques_[s].sum);
  return max_sum;
}

inline Search::Lowest Search::lowest_candidate(std::int32_t s) const {
  Bytes low = kInfinity, count = 0;  // locals: no aliasing with the state while scanning
  for (std::int32_t p : members_[s]) {
    if (state_.placed[p]) continue;
    const Bytes c = state_.candidate[p];
    if (c < low) {
      low = c;
      count = 1;
    } else if (c == low) {
      ++count;
    }
  }
  return {low, count};
}

inline void Search::rescan(std::int32_t s) {
  effort_.unbilled += static_cast<std::int64_t>(members_[s].size()) / kScansPerUnit;
  const Lowest lowest = lowest_candidate(s);
  set(cliques_[s].min_candidate, lowest.candidate);
  set(cliques_[s].min_count, lowest.count);
}

inline void Search::touch(std::int32_t s) {
  if (cliques_[s].stamp == scratch_.stamp) return;
  cliques_[s].stamp = scratch_.stamp;
  scratch_.touched.push_back(s);
}

void Search::undo_to(std::size_t mark) {
  // Newest first; the trail shrinks once at the end (unplace() does not touch it).
  const Change* const first = trail_.data() + mark;
  for (const Change* change = trail_.data() + trail_.size(); change != first;) {
    --change;
    if (change->cell != nullptr) {
      *change->cell = change->old;
    } else {
      unplace(static_cast<std::int32_t>(change->old));
    }
  }
  trail_.resize(mark);
}

}  // namespace arenaplan::exact
