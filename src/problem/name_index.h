// Distinct names to their indices: open addressing over one array, no node per name (a
// million-buffer problem spent a third of its check in std::unordered_set's allocations).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace arenaplan {

class NameIndex {
 public:
  // Room for `count` names before it grows.
  explicit NameIndex(std::size_t count = 0) { rehash(count); }

  // Adds `name` with `index` unless it is there: then returns the index it has. `name` must
  // outlive this.
  std::optional<std::int32_t> insert(std::string_view name, std::int32_t index) {
    if (2 * (entries_.size() + 1) > slots_.size()) rehash(2 * entries_.size() + 2);
    const std::size_t s = slot_of(name);
    if (slots_[s] >= 0) return entries_[static_cast<std::size_t>(slots_[s])].second;
    slots_[s] = static_cast<std::int32_t>(entries_.size());
    entries_.emplace_back(name, index);
    return std::nullopt;
  }

  std::optional<std::int32_t> find(std::string_view name) const {
    const std::int32_t e = slots_[slot_of(name)];
    if (e < 0) return std::nullopt;
    return entries_[static_cast<std::size_t>(e)].second;
  }

 private:
  // The slot holding `name`, or the empty one where it would go (the table is at most half full).
  std::size_t slot_of(std::string_view name) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t s = std::hash<std::string_view>{}(name)&mask;; s = (s + 1) & mask)
      if (slots_[s] < 0 || entries_[static_cast<std::size_t>(slots_[s])].first == name) return s;
  }

  void rehash(std::size_t count) {
    std::size_t size = 16;
    while (size < 2 * count) size *= 2;
    slots_.assign(size, -1);
    entries_.reserve(count);
    for (std::size_t e = 0; e < entries_.size(); ++e) slots_[slot_of(entries_[e].first)] = static_cast<std::int32_t>(e);
  }

  std::vector<std::int32_t> slots_;                                 // -1 or a position in entries_
  std::vector<std::pair<std::string_view, std::int32_t>> entries_;  // name, index
};

}  // namespace arenaplan
