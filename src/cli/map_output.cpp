#include "cli/map_output.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <ostream>

#include "arenaplan/io.h"
#include "cli/output_options.h"

namespace arenaplan::cli {
void add_map_option(CLI::App* cmd, std::string& target) {
  cmd->add_option("--map", target,
                  "also draw the memory map: FILE.svg, FILE.html (interactive), or - (text, on stdout)")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            if (value == "-" || ends_with_suffix(value, ".svg") || ends_with_suffix(value, ".html") ||
                ends_with_suffix(value, ".htm"))
              return {};
            return "'" + value + "' must end in .svg or .html, or be - for text";
          },
          "FILE.svg|FILE.html|-"));
}

void add_map_output(Outputs& outputs, const std::string& target, const Problem& problem, const Plan& plan,
                    const MapLabels& labels) {
  if (target.empty() || target == "-") return;
  outputs.add_file("--map", target,
                   ends_with_suffix(target, ".svg") ? memory_map_svg(problem, plan, labels)
                                                    : memory_map_html(problem, plan, labels));
}

void draw_text_map(const Problem& problem, const Plan& plan, const MapLabels& labels, std::ostream& terminal) {
  terminal << memory_map_ascii(problem, plan, labels, terminal_columns());
}

int terminal_columns() {
  if (const char* env = std::getenv("COLUMNS")) {
    char* end = nullptr;
    const long value = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && value >= 20 && value <= 1000) return static_cast<int>(value);
  }
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col >= 20) return size.ws_col;
  return 100;
}

}  // namespace arenaplan::cli
