// Distinct names to their indices: open addressing over one array, no node per name (a
// million-buffer problem spent a third of its check in std::unordered_set's allocations).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "arenaplan/problem.h"

namespace arenaplan {

class NameIndex {
 public:
  // Room for `count` names before it grows.
  explicit NameIndex(std::size_t count = 0) { rehash(count); }

  // Adds `name` with `index` unless it is there: then returns the index it has. `name` must
  // outlive this.
  std::optional<std::int32_t> insert(std::string_view name, std::int32_t index) {
    if (2 * (entries_.size() + 1) > slots_.size()) rehash(2 * entries_.size() + 2);
    const std::size_t hash = std::hash<std::string_view>{}(name);
    const std::size_t s = slot_of(name, hash);
    if (slots_[s].entry >= 0) return entries_[static_cast<std::size_t>(slots_[s].entry)].second;
    slots_[s] = {static_cast<std::int32_t>(entries_.size()), tag_of(hash)};
    entries_.emplace_back(name, index);
    return std::nullopt;
  }

  // Fetches the slot `name` probes first into the cache: a loop of inserts that calls this a few
  // names ahead waits on one cache miss at a time no longer (a million names, a million misses).
  void prefetch(std::string_view name) const {
    __builtin_prefetch(&slots_[std::hash<std::string_view>{}(name) & (slots_.size() - 1)]);
  }

  std::optional<std::int32_t> find(std::string_view name) const {
    const std::int32_t e = slots_[slot_of(name, std::hash<std::string_view>{}(name))].entry;
    if (e < 0) return std::nullopt;
    return entries_[static_cast<std::size_t>(e)].second;
  }

 private:
  // A slot keeps bits of its name's hash: a probe compares names only when they match (the names
  // of a million buffers are cache misses).
  struct Slot {
    std::int32_t entry = -1;  // -1 or a position in entries_
    std::uint32_t tag = 0;
  };

  // The high bits (the low ones pick the slot); 0 where size_t has 32 bits.
  static std::uint32_t tag_of(std::size_t hash) {
    return static_cast<std::uint32_t>(static_cast<std::uint64_t>(hash) >> 32);
  }

  // The slot holding `name`, or the empty one where it would go (the table is at most half full).
  std::size_t slot_of(std::string_view name, std::size_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    const std::uint32_t tag = tag_of(hash);
    for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
      const Slot& slot = slots_[s];
      if (slot.entry < 0 || (slot.tag == tag && entries_[static_cast<std::size_t>(slot.entry)].first == name)) return s;
    }
  }

  void rehash(std::size_t count) {
    std::size_t size = 16;
    while (size < 2 * count) size *= 2;
    slots_.assign(size, Slot{});
    entries_.reserve(count);
    for (std::size_t e = 0; e < entries_.size(); ++e) {
      const std::size_t hash = std::hash<std::string_view>{}(entries_[e].first);
      slots_[slot_of(entries_[e].first, hash)] = {static_cast<std::int32_t>(e), tag_of(hash)};
    }
  }

  std::vector<Slot> slots_;
  std::vector<std::pair<std::string_view, std::int32_t>> entries_;  // name, index
};

// A problem's buffer names to their indices, for files that list its buffers (plans): they
// usually list them in the problem's order, so the k-th entry is tried first and the index is
// built only for a file in another order.
class BufferLookup {
 public:
  explicit BufferLookup(const Problem& problem) : problem_(problem) {}
  std::optional<std::int32_t> find(std::size_t k, std::string_view name) {
    const auto& buffers = problem_.buffers;
    if (k < buffers.size() && buffers[k].name == name) return static_cast<std::int32_t>(k);
    if (!built_) {
      index_ = NameIndex(buffers.size());
      for (std::size_t i = 0; i < buffers.size(); ++i) index_.insert(buffers[i].name, static_cast<std::int32_t>(i));
      built_ = true;
    }
    return index_.find(name);
  }

 private:
  const Problem& problem_;
  NameIndex index_;
  bool built_ = false;
};

}  // namespace arenaplan
