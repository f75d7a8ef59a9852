// arenaplan diff A.json B.json: two plans of the same problem side by side.
#include <iostream>

#include "arenaplan/plan_diff.h"
#include "cli/commands.h"

namespace arenaplan::cli {

void add_diff_command(CLI::App& app, Action& action) {
  struct Args {
    std::string a, b;
    std::size_t rows = 20;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "diff", "compare two plans of the same problem: pool sizes, moved buffers, peaks; exit 1 when they differ");
  cmd->add_option("A", args->a, "plan JSON (from solve/plan -o)")->required();
  cmd->add_option("B", args->b, "plan JSON")->required();
  cmd->add_option("--rows", args->rows, "buffers listed per section")->capture_default_str();
  cmd->callback([&action, args] {
    action = [args] {
      const PlanFile a = read_plan_file(args->a);
      const PlanFile b = read_plan_file(args->b);
      const PlanDiff diff = diff_plans(a, b);
      std::cout << format_plan_diff(diff, a, b, args->rows);
      return diff.identical() ? 0 : 1;  // as diff(1) and cmp(1)
    };
  });
}

}  // namespace arenaplan::cli
