// arenaplan: the command-line tool. Exit status 0 success, 1 no solution / invalid plan,
// 2 bad input or usage (one line naming the file and the problem).
#include <cstdio>
#include <iostream>
#include <new>

#include "arenaplan/error.h"
#include "cli/commands.h"
#include "cli/limit_options.h"
#include "cli/remedy_hint.h"
#include "cli/unknown_option.h"

int main(int argc, char** argv) {
  using namespace arenaplan;
  CLI::App app{"arenaplan: unified static memory planner for ML inference on small devices"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "arenaplan 0.1.0");
  app.fallthrough();  // the --max-* limits may follow the subcommand
  InputLimits limits;
  cli::add_limit_options(app, limits);
  cli::Action action;
  cli::add_solve_command(app, action);
  cli::add_check_command(app, action);
  cli::add_algorithms_command(app, action);
  cli::add_plan_command(app, action);
  cli::add_compile_command(app, action);
  cli::add_run_command(app, action);
  cli::add_diff_command(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) { return app.exit(e); } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) { return app.exit(e); } catch (const CLI::ParseError& e) {
    if (const auto message = cli::unknown_option_message(app, argc, argv)) {
      std::cerr << printable_text(*message) << '\n';
    } else {
      std::cerr << "arenaplan: " << printable_text(e.what()) << " (see arenaplan --help)\n";
    }
    return 2;
  } catch (const InputError& e) {  // an option's own check (--dim)
    std::cerr << "arenaplan: " << e.what() << '\n';
    return 2;
  }
  try {
    return action ? action(limits) : 2;
  } catch (const InputError& e) {
    std::cerr << "arenaplan: " << e.what() << cli::remedy_hint(e.remedy()) << '\n';
    return 2;
  } catch (const NoSolution& e) {
    std::cerr << "arenaplan: no solution: " << e.what() << cli::remedy_hint(e.remedy()) << '\n';
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "arenaplan: out of memory (the input is too large for this machine)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "arenaplan: internal error: " << printable_text(e.what()) << '\n';
    return 3;
  }
}
