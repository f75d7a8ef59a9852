// The line and cell splitting that MiniMalloc-style CSV files share (problems and plans).
#pragma once

#include <string_view>
#include <vector>

namespace arenaplan::csv {

// Takes the next line off `rest` (without its "\n" or "\r\n").
inline std::string_view next_line(std::string_view& rest) {
  const std::size_t newline = rest.find('\n');
  std::string_view line = rest.substr(0, newline);
  rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// The comma-separated cells of `line` into `cells` (reused: no allocation per line), blanks around
// them trimmed (no quoting: ids are plain).
inline void split(std::string_view line, std::vector<std::string_view>& cells) {
  cells.clear();
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    std::string_view cell =
        line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t')) cell.remove_prefix(1);
    while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t')) cell.remove_suffix(1);
    cells.push_back(cell);
    if (comma == std::string_view::npos) return;
    start = comma + 1;
  }
}

}  // namespace arenaplan::csv
