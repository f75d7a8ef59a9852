#include "cli/limit_options.h"

namespace arenaplan::cli {

void add_limit_options(CLI::App& app, InputLimits& limits) {
  const std::string group = "Input limits";
  app.add_option("--max-file-size", limits.max_file_bytes, "largest input file, in bytes")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group(group);
  app.add_option("--max-buffers", limits.max_buffers, "most buffers in one problem")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group(group);
  app.add_option("--max-steps", limits.max_step, "largest timeline step")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group(group);
  app.add_option("--max-total-size", limits.max_total_bytes, "largest sum of buffer sizes, in bytes")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group(group);
  app.add_option("--max-nesting", limits.max_nesting, "deepest JSON nesting")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group(group);
}

}  // namespace arenaplan::cli
