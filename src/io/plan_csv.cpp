// MiniMalloc-style plan CSV: the problem's id,lower,upper,size with each buffer's offset. A tenth
// of the plan JSON's bytes for a million buffers, for one-pool interval problems (MiniMalloc's).
#include <charconv>
#include <ostream>
#include <string_view>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/io.h"
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
  std::string text = "id,lower,upper,size,offset\n";
  text.reserve(problem.buffers.size() * 32 + text.size());
  for (std::size_t i = 0; i < problem.buffers.size(); ++i) {
    const Buffer& b = problem.buffers[i];
    fmt::format_to(std::back_inserter(text), "{},{},{},{},{}\n", b.name, b.live.front().first, b.live.front().last,
                   b.size, plan.placements[i].offset);
  }
  out << text;
}

Plan parse_plan_csv(const std::string& text, const std::string& source, const Problem& problem,
                    std::optional<std::string>& mismatch) {
  if (problem.pools.size() != 1) throw InputError(fmt::format("{}: a CSV plan is for problems with one pool", source));
  Plan plan;
  plan.algorithm = "csv";
  plan.placements.assign(problem.buffers.size(), Placement{});
  NameIndex index(problem.buffers.size());
  for (std::size_t i = 0; i < problem.buffers.size(); ++i)
    index.insert(problem.buffers[i].name, static_cast<std::int32_t>(i));
  std::vector<bool> seen(problem.buffers.size(), false);
  std::string_view rest(text);
  std::int64_t line = 0;
  int col_id = -1, col_offset = -1, columns = 0;
  while (!rest.empty()) {
    const std::size_t newline = rest.find('\n');
    std::string_view row = rest.substr(0, newline);
    rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
    ++line;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (row.empty()) continue;
    auto fail = [&](const std::string& what) { throw InputError(fmt::format("{}:{}: {}", source, line, what)); };
    // The cells of the row, split at commas (ids are plain: MiniMalloc CSV has no quoting).
    std::string_view id, offset_text;
    int column = 0;
    for (std::size_t start = 0;; ++column) {
      const std::size_t comma = row.find(',', start);
      std::string_view cell = row.substr(start, comma == std::string_view::npos ? row.npos : comma - start);
      while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t')) cell.remove_prefix(1);
      while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t')) cell.remove_suffix(1);
      if (columns == 0) {
        if (cell == "id") col_id = column;
        if (cell == "offset") col_offset = column;
      } else if (column == col_id) {
        id = cell;
      } else if (column == col_offset) {
        offset_text = cell;
      }
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (columns == 0) {
      if (col_id < 0 || col_offset < 0) fail("the header must name the columns id and offset");
      columns = column + 1;
      continue;
    }
    if (column + 1 != columns) fail(fmt::format("expected {} values, found {}", columns, column + 1));
    std::int64_t offset = 0;
    const auto [end, ec] = std::from_chars(offset_text.data(), offset_text.data() + offset_text.size(), offset);
    if (ec != std::errc() || end != offset_text.data() + offset_text.size() || offset_text.empty())
      fail(fmt::format("offset '{}' is not a 64-bit integer", offset_text));
    const auto i = index.find(id);
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
