// Limits on what the readers accept, so that a hostile or broken input gets a clear error
// instead of exhausting memory or time. The command line can raise each one (flag in brackets).
#pragma once

#include <cstddef>
#include <cstdint>

namespace arenaplan {

struct InputLimits {
  std::int64_t max_file_bytes = std::int64_t{1} << 30;   // [--max-file-size] any input file
  std::int64_t max_buffers = 10'000'000;                 // [--max-buffers] buffers in one problem
  std::int64_t max_step = std::int64_t{1} << 40;         // [--max-steps] largest timeline step
  std::int64_t max_total_bytes = std::int64_t{1} << 60;  // [--max-total-size] sum of buffer sizes
  std::int64_t max_nesting = 64;                         // [--max-nesting] JSON nesting depth
};

// The limits in force (process-wide; the command line sets them once at start-up).
const InputLimits& input_limits();
void set_input_limits(const InputLimits& limits);

}  // namespace arenaplan
