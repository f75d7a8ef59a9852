// A problem whose buffers name their conflicts and candidate pools, as front ends receive them
// (problem JSON, the C API, Python): resolved into a Problem of indices in one place.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arenaplan/problem.h"

namespace arenaplan {

struct NamedBuffer {
  Buffer buffer;                                        // conflicts and pools given by index stay as they are
  std::vector<std::string> conflicts;                   // by name
  std::optional<std::vector<std::string>> pools;        // by name; none (and no index either): the default pools
  std::vector<std::pair<std::string, Bytes>> overlaps;  // by name: (with, distance)
};

// Adds the default pools where buffers name none (an unlimited `global_workspace`, and
// `global_constants` for constants), resolves every name, and gives buffers without candidates
// every pool of their kind. Throws InputError "SOURCE: buffers[i] ('name').field: problem" for
// unknown or duplicate names. The result is not normalised.
Problem resolve_names(std::vector<Pool> pools, std::vector<NamedBuffer> buffers, const std::string& source);

// A problem being built one pool and buffer at a time (the C API, Python): resolved and
// normalised on first use, again after every change.
class ProblemDraft {
 public:
  ProblemDraft() = default;
  explicit ProblemDraft(const Problem& normalised);  // a copy of a finished problem

  std::int32_t add_pool(Pool pool);
  std::int32_t add_buffer(NamedBuffer buffer);
  NamedBuffer& buffer(std::int32_t index, std::string_view where);  // InputError when out of range
  std::int32_t pool_count() const { return static_cast<std::int32_t>(pools_.size()); }
  std::int32_t buffer_count() const { return static_cast<std::int32_t>(buffers_.size()); }

  // Resolved and normalised; throws InputError ("problem: ...") when it is not a valid problem.
  // A change makes a new snapshot; earlier ones stay valid for whoever holds them.
  const Problem& problem() const { return *snapshot(); }
  std::shared_ptr<const Problem> snapshot() const;

 private:
  std::vector<Pool> pools_;
  std::vector<NamedBuffer> buffers_;
  mutable std::shared_ptr<const Problem> ready_;  // reset by every change
};

}  // namespace arenaplan
