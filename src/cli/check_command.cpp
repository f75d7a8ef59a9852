// arenaplan check PROBLEM PLAN: verify a plan with the independent checker.
#include <iostream>

#include <fmt/format.h>

#include "arenaplan/algorithm.h"
#include "arenaplan/checker.h"
#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "cli/commands.h"

namespace arenaplan::cli {

void add_check_command(CLI::App& app, Action& action) {
  auto files = std::make_shared<std::pair<std::string, std::string>>();
  CLI::App* cmd = app.add_subcommand("check", "verify a plan: exit 0 if valid, 1 with the first violation if not");
  cmd->add_option("PROBLEM", files->first, "problem file (.json or MiniMalloc .csv)")->required();
  cmd->add_option("PLAN", files->second, "plan JSON, or plan CSV (.csv)")->required();
  cmd->callback([&action, files] {
    action = [files](const InputLimits& limits) {
      const Problem problem = read_problem(files->first, std::cerr, limits);
      std::optional<std::string> violation;
      const Plan plan = files->second.ends_with(".csv") ? read_plan_csv(files->second, problem, violation, limits)
                                                        : read_plan_json(files->second, problem, violation, limits);
      if (!violation) violation = check_plan(problem, plan);
      if (violation) {
        std::cout << printable_text(fmt::format("{}: invalid plan: {}", files->second, *violation)) << '\n';
        return 1;
      }
      std::cout << fmt::format("{}: valid plan: {} buffers in {} pools, {} bytes in all\n", files->second,
                               problem.buffers.size(), problem.pools.size(), plan.total_size());
      return 0;
    };
  });
}

void add_algorithms_command(CLI::App& app, Action& action) {
  CLI::App* cmd = app.add_subcommand("algorithms", "list the registered algorithms");
  cmd->callback([&action] {
    action = [](const InputLimits&) {
      for (const AlgorithmInfo* info : registered_algorithms())
        std::cout << fmt::format("{:<24} {}\n", info->name, info->summary);
      return 0;
    };
  });
}

}  // namespace arenaplan::cli
