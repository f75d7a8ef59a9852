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
  cmd->add_option("--work-limit", options.work_limit,
                  "work units for searching algorithms: the same plan on any machine and load (default: "
                  "--time-limit x " +
                      std::to_string(static_cast<std::int64_t>(kWorkUnitsPerSecond)) + ")")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--wall-clock", options.wall_clock,
                "stop searches on --time-limit alone, not on a work budget (more search on a fast machine; "
                "not reproducible)");
  cmd->add_option("--seed", options.seed, "random seed for searching algorithms")->capture_default_str();
  cmd->add_option("--threads", options.threads,
                  "threads for auto's members (default 0: the machine's cores; the plan depends on this "
                  "number, not on timing)")
      ->capture_default_str()
      ->check(CLI::Range(0u, 1024u));
}

void add_kernels_option(CLI::App* cmd, std::string& kernels, const std::string& description) {
  const std::vector<std::string> names = kernel_profile_names();
  cmd->add_option("--kernels", kernels, description)->check(CLI::IsMember(names))->capture_default_str();
}

void add_overlap_flag(CLI::App* cmd, LoweringOptions& lowering) {
  cmd->add_flag_callback(
      "--no-overlap", [&lowering] { lowering.overlaps = false; },
      "hold every tensor whole: no output over the input it replaces (the arenaplan kernels allow it)");
}

}  // namespace arenaplan::cli
