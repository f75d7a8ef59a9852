// Limits on what the readers accept, so that a hostile or broken input gets a clear error
// instead of exhausting memory or time. Every reader takes them as an explicit argument (the
// defaults below when left out); an input over a limit throws InputError with the Remedy that
// names the limit.
#pragma once

#include <cstdint>

namespace arenaplan {

struct InputLimits {
  std::int64_t max_file_bytes = std::int64_t{1} << 30;   // any input file
  std::int64_t max_buffers = 10'000'000;                 // buffers in one problem
  std::int64_t max_step = std::int64_t{1} << 40;         // largest timeline step
  std::int64_t max_total_bytes = std::int64_t{1} << 60;  // sum of buffer sizes
  std::int64_t max_nesting = 64;                         // JSON nesting depth
};

}  // namespace arenaplan
