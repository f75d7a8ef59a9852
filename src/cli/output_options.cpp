#include "cli/output_options.h"

namespace arenaplan::cli {

CLI::Validator non_empty_path() {
  return CLI::Validator(
      [](std::string& value) -> std::string { return value.empty() ? "an empty name is not a file name" : ""; },
      "PATH");
}

CLI::Option* add_output_option(CLI::App* cmd, std::string& target, const std::string& description) {
  return cmd->add_option("-o,--output", target, description)->check(non_empty_path());
}

}  // namespace arenaplan::cli
