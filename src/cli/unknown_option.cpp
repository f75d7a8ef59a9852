#include "cli/unknown_option.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace arenaplan::cli {
namespace {

// Levenshtein distance: small names, so the plain two-row table is enough.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

void add_option_names(const CLI::App& app, std::vector<std::string>& names) {
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
  }
}

}  // namespace

std::optional<std::string> unknown_option_message(const CLI::App& app, int argc, const char* const* argv) {
  const CLI::App* command = nullptr;
  std::vector<std::string> names;
  add_option_names(app, names);
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!command && !arg.starts_with('-')) {
      for (const CLI::App* sub : app.get_subcommands({})) {
        if (sub->get_name() == arg) command = sub;
      }
      if (command) add_option_names(*command, names);
      continue;
    }
    if (arg.size() < 2 || !arg.starts_with('-') || arg == "--") continue;
    if (arg[1] != '-' && arg.size() > 2 && std::isdigit(static_cast<unsigned char>(arg[1]))) continue;  // -1
    const std::string flag(arg.substr(0, arg.find('=')));
    if (std::find(names.begin(), names.end(), flag) != names.end()) continue;
    const std::string where = command ? fmt::format("arenaplan {}", command->get_name()) : "arenaplan";
    const auto closest = std::min_element(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
      return edit_distance(flag, a) < edit_distance(flag, b);
    });
    if (closest != names.end() && edit_distance(flag, *closest) <= std::max<std::size_t>(2, flag.size() / 3))
      return fmt::format("{}: unknown option '{}' (did you mean '{}'? see {} --help)", where, flag, *closest, where);
    return fmt::format("{}: unknown option '{}' (see {} --help)", where, flag, where);
  }
  return std::nullopt;
}

}  // namespace arenaplan::cli
