// The memory map drawn in text for a terminal: one block per pool, `columns` characters wide.
// Small pools give each buffer a letter (with a key); large ones show the kind of each cell.
#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "arenaplan/memory_map.h"
#include "emit/memory_map_layout.h"

namespace arenaplan {
namespace {

using namespace emit;

constexpr int kRows = 16;
constexpr int kLeft = 11;  // "  12.5 KiB|"
constexpr std::size_t kLettersUpTo = 52;

char kind_char(BufferKind kind) {
  switch (kind) {
    case BufferKind::activation: return '#';
    case BufferKind::scratch: return '%';
    case BufferKind::input: return 'i';
    case BufferKind::output: return 'o';
    case BufferKind::variable: return 'v';
    case BufferKind::constant: return 'c';
  }
  return '?';
}

char letter(std::size_t k) { return static_cast<char>(k < 26 ? 'A' + k : 'a' + (k - 26)); }

int cell(double fraction, int cells) {
  return std::clamp(static_cast<int>(std::floor(fraction * cells)), 0, cells - 1);
}

// The cells whose centres lie in [from, to) (fractions of the axis), so that neighbours never share
// a cell; a span too thin to hold a centre gets the one cell it falls in.
std::pair<int, int> cells_of(double from, double to, int cells) {
  const int first = std::max(0, static_cast<int>(std::ceil(from * cells - 0.5)));
  const int last = std::min(cells - 1, static_cast<int>(std::ceil(to * cells - 0.5)) - 1);
  if (first <= last) return {first, last};
  const int only = cell((from + to) / 2, cells);
  return {only, only};
}

std::string draw_panel(const Problem& problem, const MapPanel& panel, const MapLabels& labels, bool timeline,
                       int width) {
  const Pool& pool = problem.pools[panel.pool];
  const Bytes y_max = std::max<Bytes>({panel.size, panel.lower_bound, 1});
  const double span = static_cast<double>(std::max<Step>(panel.last - panel.first, 1));
  const bool letters = panel.rects.size() <= kLettersUpTo;
  std::vector<std::string> grid(kRows, std::string(static_cast<std::size_t>(width), ' '));
  for (std::size_t k = 0; k < panel.rects.size(); ++k) {
    const MapRect& r = panel.rects[k];
    const auto [c0, c1] = cells_of(static_cast<double>(r.first - panel.first) / span,
                                   static_cast<double>(r.last - panel.first) / span, width);
    const auto [r0, r1] = cells_of(static_cast<double>(r.offset) / static_cast<double>(y_max),
                                   static_cast<double>(r.offset + r.size) / static_cast<double>(y_max), kRows);
    const char c = letters ? letter(k) : kind_char(r.kind);
    for (int row = r0; row <= r1; ++row)
      for (int col = c0; col <= c1; ++col)
        grid[static_cast<std::size_t>(kRows - 1 - row)][static_cast<std::size_t>(col)] = c;
  }
  // The bytes an output shares with the input it is written over, at the step between them.
  for (const MapOverlap& o : timeline ? panel.overlaps : std::vector<MapOverlap>{}) {
    const auto [c0, c1] = cells_of(static_cast<double>(o.step - panel.first) / span,
                                   static_cast<double>(o.step + 1 - panel.first) / span, width);
    const auto [r0, r1] = cells_of(static_cast<double>(o.shared_first) / static_cast<double>(y_max),
                                   static_cast<double>(o.shared_last) / static_cast<double>(y_max), kRows);
    for (int row = r0; row <= r1; ++row)
      for (int col = c0; col <= c1; ++col)
        grid[static_cast<std::size_t>(kRows - 1 - row)][static_cast<std::size_t>(col)] = '/';
  }
  const int lb_row =
      kRows - 1 - cell(static_cast<double>(panel.lower_bound) / static_cast<double>(y_max) - 1e-9, kRows);
  const double ratio =
      panel.lower_bound > 0 ? static_cast<double>(panel.size) / static_cast<double>(panel.lower_bound) : 1.0;
  std::string out =
      fmt::format("pool {} ({}): {} bytes, lower bound {} ({:.3f}x), {} buffers\n", pool.name, to_string(pool.kind),
                  group_digits(panel.size), group_digits(panel.lower_bound), ratio, panel.rects.size());
  for (int row = 0; row < kRows; ++row) {
    std::string axis;
    if (row == 0)
      axis = human_bytes(y_max);
    else if (row == kRows / 2)
      axis = human_bytes(y_max / 2);
    out += fmt::format("{:>{}}|{}|", axis, kLeft - 1, grid[static_cast<std::size_t>(row)]);
    if (row == lb_row) out += "< lower bound";
    out += '\n';
  }
  out += fmt::format("{:>{}}+{}+\n", "0 B", kLeft - 1, std::string(static_cast<std::size_t>(width), '-'));
  if (panel.peak_step) {
    const int col = cell((static_cast<double>(*panel.peak_step - panel.first) + 0.5) / span, width);
    const std::string note =
        fmt::format("peak: {} bytes live at {}", group_digits(panel.peak_bytes), step_name(labels, *panel.peak_step));
    if (col + 2 + static_cast<int>(note.size()) <= width + 14)
      out += fmt::format("{}^ {}\n", std::string(static_cast<std::size_t>(kLeft + col), ' '), note);
    else
      out += fmt::format(
          "{}{} ^\n",
          std::string(static_cast<std::size_t>(std::max(0, kLeft + col - 1 - static_cast<int>(note.size()))), ' '),
          note);
  }
  if (timeline) {
    const std::string left = step_name(labels, panel.first), right = step_name(labels, panel.last - 1);
    const int pad = std::max(1, width + 1 - static_cast<int>(left.size() + right.size()));
    out += fmt::format("{}{}{}{}\n", std::string(kLeft, ' '), left, std::string(static_cast<std::size_t>(pad), ' '),
                       right);
  } else {
    out += fmt::format("{}buffers of the pool, left to right (no timeline: conflicts only)\n", std::string(kLeft, ' '));
  }
  if (letters) {
    for (std::size_t k = 0; k < panel.rects.size(); ++k) {
      const MapRect& r = panel.rects[k];
      out += fmt::format("  {} {} ({}): {} bytes at {}", letter(k), problem.buffers[r.buffer].name, to_string(r.kind),
                         group_digits(r.size), group_digits(r.offset));
      if (timeline) out += fmt::format(", live [{}, {})", r.first, r.last);
      out += '\n';
    }
  } else {
    out += "  # activation  % scratch  i input  o output  v variable  c constant\n";
  }
  // With letters, the pairs by letter (the key above names them).
  std::vector<char> letter_of(problem.buffers.size(), '?');
  for (std::size_t k = 0; k < panel.rects.size(); ++k)
    letter_of[static_cast<std::size_t>(panel.rects[k].buffer)] = letter(k);
  for (const MapOverlap& o : panel.overlaps) {
    const std::string step = step_name(labels, o.step);
    const std::string text = letters ? overlap_text(o, std::string(1, letter_of[static_cast<std::size_t>(o.output)]),
                                                    std::string(1, letter_of[static_cast<std::size_t>(o.input)]), step)
                                     : overlap_text(problem, o, step);
    out += fmt::format("  {} {}\n", timeline ? "/" : "overlap:", text);
  }
  return out;
}

// Cuts lines longer than the terminal (long names), marking the cut with '~'.
std::string fit_lines(const std::string& text, std::size_t columns) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end - start > columns)
      out.append(text, start, columns - 1).append("~");
    else
      out.append(text, start, end - start);
    out += '\n';
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string memory_map_ascii(const Problem& problem, const Plan& plan, const MapLabels& labels, int columns) {
  const MapLayout layout = layout_memory_map(problem, plan);
  const int width = std::max(20, columns - kLeft - 2 - 14);  // 14: "< lower bound" on the right
  std::string out;
  if (!labels.title.empty()) out += labels.title + '\n';
  for (const MapPanel& panel : layout.panels) {
    out += '\n';
    out += draw_panel(problem, panel, labels, layout.timeline, width);
  }
  return fit_lines(out, static_cast<std::size_t>(std::max(columns, 40)));
}

}  // namespace arenaplan
