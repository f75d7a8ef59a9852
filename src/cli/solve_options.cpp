#include "cli/solve_options.h"

#include "arenaplan/kernels.h"

namespace arenaplan::cli {

void add_solve_options(CLI::App* cmd, SolveOptions& options) {
  cmd->add_option("--algorithm", options.algorithm,
                  "algorithm (see 'arenaplan algorithms'; plan --compat tflm defaults to tflm)")
      ->capture_default_str();
  cmd->add_option("--time-limit", options.time_limit_seconds, "seconds for searching algorithms")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e6));
  cmd->add_option("--seed", options.seed, "random seed for searching algorithms")->capture_default_str();
}

void add_kernels_option(CLI::App* cmd, std::string& kernels, const std::string& description) {
  const std::vector<std::string> names = kernel_profile_names();
  cmd->add_option("--kernels", kernels, description)->check(CLI::IsMember(names))->capture_default_str();
}

}  // namespace arenaplan::cli
