// The exact search over operator orders (Serenity, MLSys 2020): the bytes live between two
// operators depend only on the set S of operators already run, so the least peak with which S
// can be reached, best[S], obeys best[S + o] = min over the last operator o of
// max(best[S], bytes while o runs after S). Sets grow by one operator per step, so the search
// goes level by level and only the next level needs a lookup table. States whose peak reaches the
// bound to beat are dropped (branch and bound); ties keep the first state found, in a fixed
// order, so the result is deterministic.
#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <tuple>

#include "schedule/memory_dag.h"

namespace arenaplan::schedule {
namespace {

using Word = std::uint64_t;
constexpr std::int64_t kScanLimit = 100'000'000;  // operators scanned over all states (about a second)

struct State {
  Bytes peak = 0;
  Bytes live = 0;
  std::int64_t parent = -1;
  std::int32_t op = -1;
};

// One level of the search: its states' sets, stored flat, and an open-addressing index of them.
class Level {
 public:
  explicit Level(std::size_t words) : words_(words) {}
  std::size_t size() const { return ids_.size(); }
  std::int64_t id(std::size_t i) const { return ids_[i]; }
  const Word* key(std::size_t i) const { return keys_.data() + i * words_; }

  // The position of `key` in this level, or where it goes with `id` when it is new.
  std::pair<std::size_t, bool> insert(const Word* key, std::int64_t id) {
    if ((ids_.size() + 1) * 2 > slots_.size()) grow();
    std::size_t at = hash(key) & (slots_.size() - 1);
    while (slots_[at] >= 0) {
      const auto i = static_cast<std::size_t>(slots_[at]);
      if (std::memcmp(keys_.data() + i * words_, key, words_ * sizeof(Word)) == 0) return {i, false};
      at = (at + 1) & (slots_.size() - 1);
    }
    slots_[at] = static_cast<std::int64_t>(ids_.size());
    keys_.insert(keys_.end(), key, key + words_);
    ids_.push_back(id);
    return {ids_.size() - 1, true};
  }

 private:
  std::size_t hash(const Word* key) const {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (std::size_t w = 0; w < words_; ++w) h = (h ^ key[w]) * 0xff51afd7ed558ccdULL + (h >> 29);
    return static_cast<std::size_t>(h ^ (h >> 32));
  }
  void grow() {
    std::vector<std::int64_t> slots(std::max<std::size_t>(64, slots_.size() * 2), -1);
    slots_.swap(slots);
    for (std::size_t i = 0; i < ids_.size(); ++i) {
      std::size_t at = hash(key(i)) & (slots_.size() - 1);
      while (slots_[at] >= 0) at = (at + 1) & (slots_.size() - 1);
      slots_[at] = static_cast<std::int64_t>(i);
    }
  }

  std::size_t words_;
  std::vector<Word> keys_;
  std::vector<std::int64_t> ids_;
  std::vector<std::int64_t> slots_;
};

bool has(const Word* set, std::int32_t i) { return (set[static_cast<std::size_t>(i) / 64] >> (i % 64)) & 1U; }

// The `width` best sets of `level`: least peak, then fewest live bytes, then first found.
std::unique_ptr<Level> best_of(const Level& level, const std::vector<State>& states, std::int64_t width,
                               std::size_t words) {
  std::vector<std::size_t> order(level.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto rank = [&](std::size_t i) {
    const State& s = states[static_cast<std::size_t>(level.id(i))];
    return std::tuple(s.peak, s.live, i);
  };
  std::partial_sort(order.begin(), order.begin() + width, order.end(),
                    [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
  auto kept = std::make_unique<Level>(words);
  for (std::int64_t k = 0; k < width; ++k)
    kept->insert(level.key(order[static_cast<std::size_t>(k)]), level.id(order[static_cast<std::size_t>(k)]));
  return kept;
}

// The search behind exact_order() and beam_order(): `width` > 0 keeps that many sets per level.
ExactResult search(const MemoryDag& dag, Bytes below, std::int64_t max_states, std::int64_t width) {
  const std::int32_t n = dag.operators();
  const std::size_t words = (static_cast<std::size_t>(n) + 63) / 64 + (n == 0 ? 1 : 0);

  ExactResult result;
  bool cut = false;
  // Each state costs a scan of every operator: larger graphs get fewer states.
  const std::int64_t state_limit = std::min<std::int64_t>(max_states, kScanLimit / std::max<std::int64_t>(1, n));
  std::vector<State> states(1);
  for (const auto& s : dag.storages)
    if (s.creator < 0) states[0].live += s.bytes;
  states[0].peak = states[0].live;
  if (states[0].peak >= below) {
    result.finished = true;
    return result;
  }
  auto current = std::make_unique<Level>(words);
  std::vector<Word> empty(words, 0), next_key(words);
  current->insert(empty.data(), 0);

  for (std::int32_t level = 0; level < n; ++level) {
    auto next = std::make_unique<Level>(words);
    for (std::size_t i = 0; i < current->size(); ++i) {
      const Word* set = current->key(i);
      const State from = states[static_cast<std::size_t>(current->id(i))];
      for (std::int32_t o = 0; o < n; ++o) {
        if (has(set, o)) continue;
        const auto& needs = dag.after[static_cast<std::size_t>(o)];
        if (!std::all_of(needs.begin(), needs.end(), [&](std::int32_t p) { return has(set, p); })) continue;
        Bytes created = 0;
        for (const std::int32_t s : dag.creates[static_cast<std::size_t>(o)])
          created += dag.storages[static_cast<std::size_t>(s)].bytes;
        const Bytes peak = std::max(from.peak, from.live + created + dag.scratch[static_cast<std::size_t>(o)]);
        if (peak >= below) continue;
        std::copy(set, set + words, next_key.begin());
        next_key[static_cast<std::size_t>(o) / 64] |= Word{1} << (o % 64);
        const auto [at, fresh] = next->insert(next_key.data(), static_cast<std::int64_t>(states.size()));
        if (fresh) {
          Bytes live = from.live + created;
          for (const std::int32_t s : dag.reads[static_cast<std::size_t>(o)]) {
            const auto& st = dag.storages[static_cast<std::size_t>(s)];
            if (!st.pinned && std::all_of(st.readers.begin(), st.readers.end(),
                                          [&](std::int32_t r) { return has(next_key.data(), r); }))
              live -= st.bytes;
          }
          for (const std::int32_t s : dag.creates[static_cast<std::size_t>(o)]) {
            const auto& st = dag.storages[static_cast<std::size_t>(s)];
            if (!st.pinned && st.readers.empty()) live -= st.bytes;
          }
          states.push_back({peak, live, current->id(i), o});
          if (static_cast<std::int64_t>(states.size()) > state_limit) {
            result.states = static_cast<std::int64_t>(states.size());
            return result;  // unfinished
          }
        } else {
          State& known = states[static_cast<std::size_t>(next->id(at))];
          if (peak < known.peak) {
            known.peak = peak;
            known.parent = current->id(i);
            known.op = o;
          }
        }
      }
    }
    if (width > 0 && static_cast<std::int64_t>(next->size()) > width) {
      next = best_of(*next, states, width, words);
      cut = true;
    }
    current = std::move(next);
    if (current->size() == 0) break;  // no order stays below the bound
  }
  result.finished = !cut;
  result.states = static_cast<std::int64_t>(states.size());
  if (n > 0 && current->size() == 0) return result;
  std::int64_t at = current->id(0);
  result.peak = states[static_cast<std::size_t>(at)].peak;
  for (; states[static_cast<std::size_t>(at)].op >= 0; at = states[static_cast<std::size_t>(at)].parent)
    result.order.push_back(states[static_cast<std::size_t>(at)].op);
  std::reverse(result.order.begin(), result.order.end());
  return result;
}

}  // namespace

ExactResult exact_order(const MemoryDag& dag, Bytes below, std::int64_t max_states) {
  return search(dag, below, max_states, 0);
}

ExactResult beam_order(const MemoryDag& dag, std::int64_t width) {
  return search(dag, std::numeric_limits<Bytes>::max(), std::numeric_limits<std::int64_t>::max(),
                std::max<std::int64_t>(1, width));
}

}  // namespace arenaplan::schedule
