#include "cli/output_options.h"

#include <cctype>

namespace arenaplan::cli {

bool ends_with_suffix(const std::string& path, const std::string& suffix) {
  if (path.size() < suffix.size()) return false;
  for (std::size_t k = 0; k < suffix.size(); ++k)
    if (std::tolower(static_cast<unsigned char>(path[path.size() - suffix.size() + k])) != suffix[k]) return false;
  return true;
}

CLI::Validator non_empty_path() {
  return CLI::Validator(
      [](std::string& value) -> std::string { return value.empty() ? "an empty name is not a file name" : ""; },
      "PATH");
}

CLI::Option* add_output_option(CLI::App* cmd, std::string& target, const std::string& description) {
  return cmd->add_option("-o,--output", target, description)->check(non_empty_path());
}

}  // namespace arenaplan::cli
