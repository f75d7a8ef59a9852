// MiniMalloc-style plan CSV: the problem's id,lower,upper,size with each buffer's offset. A tenth
// of the plan JSON's bytes for a million buffers, for one-pool interval problems (MiniMalloc's).
#include <charconv>
#include <ostream>
#include <string_view>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "io/csv_lines.h"
#include "io/files.h"
#include "problem/name_index.h"

namespace arenaplan {

bool plan_csv_fits(const Problem& problem) {
  if (problem.pools.size() != 1) return false;
  for (const Buffer& b : problem.buffers)
    if (b.live.size() != 1 || !b.conflicts.empty() || !b.overlaps.empty() ||
        b.name.find_first_of(",\r\n") != std::string::npos)
      return false;
  return true;
}

void write_plan_csv(const Problem& problem, const Plan& plan, std::ostream& out) {
  // Appended by hand: fmt::format_to through a back_inserter parsed the format string per row
  // (a tenth of a million-buffer solve).
  std::string text = "id,lower,upper,size,offset\n";
  text.reserve(problem.buffers.size() * 32 + text.size());
  const auto number = [&](std::int64_t v, char after) {
    const fmt::format_int digits(v);
    text.append(digits.data(), digits.size());
    text += after;
  };
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    const Buffer& b = problem.buffers[i];
    text += b.name;
    text += ',';
    number(b.live.front().first, ',');
    number(b.live.front().last, ',');
    number(b.size, ',');
    number(plan.placements[i].offset, '\n');
  }
  out << text;
}

Plan parse_plan_csv(const std::string& text, const std::string& source, const Problem& problem,
                    std::optional<std::string>& mismatch) {
  if (problem.pools.size() != 1) throw InputError(fmt::format("{}: a CSV plan is for problems with one pool", source));
  Plan plan;
  plan.algorithm = "csv";
  plan.placements.assign(problem.buffers.size(), Placement{});
  BufferLookup index(problem);
  std::vector<bool> seen(problem.buffers.size(), false);
  std::vector<std::string_view> cells;
  std::string_view rest(text);
  std::int64_t line = 0;
  std::size_t row_index = 0;
  int col_id = -1, col_offset = -1, columns = 0;
  while (!rest.empty()) {
    const std::string_view row = csv::next_line(rest);
    ++line;
    if (row.empty()) continue;
    auto fail = [&](const std::string& what) { throw InputError(fmt::format("{}:{}: {}", source, line, what)); };
    csv::split(row, cells);
    const auto count = static_cast<int>(cells.size());
    if (columns == 0) {
      for (std::size_t c = 0; c < cells.size(); ++c) {
        if (cells[c] == "id") col_id = static_cast<int>(c);
        if (cells[c] == "offset") col_offset = static_cast<int>(c);
      }
      if (col_id < 0 || col_offset < 0) fail("the header must name the columns id and offset");
      columns = count;
      continue;
    }
    if (count != columns) fail(fmt::format("expected {} values, found {}", columns, count));
    const std::string_view id = cells[static_cast<std::size_t>(col_id)];
    const std::string_view offset_text = cells[static_cast<std::size_t>(col_offset)];
    std::int64_t offset = 0;
    const auto [end, ec] = std::from_chars(offset_text.data(), offset_text.data() + offset_text.size(), offset);
    if (ec != std::errc() || end != offset_text.data() + offset_text.size() || offset_text.empty())
      fail(fmt::format("offset '{}' is not a 64-bit integer", offset_text));
    const auto i = index.find(row_index++, id);
    if (!i) {
      if (!mismatch) mismatch = fmt::format("the plan places buffer '{}', which the problem does not have", id);
      continue;
    }
    if (seen[static_cast<std::size_t>(*i)]) {
      if (!mismatch) mismatch = fmt::format("buffer '{}' is placed more than once", id);
      continue;
    }
    seen[static_cast<std::size_t>(*i)] = true;
    plan.placements[static_cast<std::size_t>(*i)] = {0, offset};
  }
  if (columns == 0) throw InputError(fmt::format("{}: empty file (expected a header id,...,offset)", source));
  compute_pool_sizes(problem, plan);
  return plan;
}

Plan read_plan_csv(const std::string& path, const Problem& problem, std::optional<std::string>& mismatch,
                   const InputLimits& limits) {
  return parse_plan_csv(read_file(path, limits), path, problem, mismatch);
}

}  // namespace arenaplan
