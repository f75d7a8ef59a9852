// MiniMalloc CSV: a header naming the columns id, lower, upper, size (and optionally alignment),
// then one buffer per line with the half-open live range [lower, upper).
#include <algorithm>
#include <charconv>
#include <string_view>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "arenaplan/limits.h"
#include "io/csv_lines.h"
#include "io/files.h"

namespace arenaplan {

Problem read_problem_csv(const std::string& path, const InputLimits& limits) {
  return parse_problem_csv(read_file(path, limits), path, limits);
}

Problem parse_problem_csv(const std::string& text, const std::string& path, const InputLimits& limits) {
  std::string_view rest(text);
  if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);  // UTF-8 byte order mark

  Problem problem;
  problem.pools.push_back({"workspace", std::nullopt, 1, PoolKind::workspace});
  int col_id = -1, col_lower = -1, col_upper = -1, col_size = -1, col_align = -1;
  std::size_t columns = 0;
  std::int64_t line_number = 0;
  Bytes total = 0;
  bool header_seen = false;
  std::vector<std::string_view> cells;
  // One buffer per line: room for all at once (growing a vector of a million buffers moved each
  // several times, into fresh pages each time).
  const auto lines = static_cast<std::int64_t>(std::count(rest.begin(), rest.end(), '\n')) + 1;
  problem.buffers.reserve(static_cast<std::size_t>(std::min<std::int64_t>(lines, limits.max_buffers)));
  while (!rest.empty()) {
    const std::string_view line = csv::next_line(rest);
    ++line_number;
    auto fail = [&](const std::string& what, Remedy remedy = Remedy::none) {
      throw InputError(fmt::format("{}:{}: {}", path, line_number, what), remedy);
    };
    if (line.find('\0') != std::string_view::npos) fail("a NUL byte (a CSV file is text)");
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    csv::split(line, cells);
    if (!header_seen) {
      header_seen = true;
      for (std::size_t c = 0; c < cells.size(); ++c) {
        int* slot = cells[c] == "id"          ? &col_id
                    : cells[c] == "lower"     ? &col_lower
                    : cells[c] == "upper"     ? &col_upper
                    : cells[c] == "size"      ? &col_size
                    : cells[c] == "alignment" ? &col_align
                                              : nullptr;
        if (slot == nullptr)
          fail(fmt::format("unknown column '{}' (expected id,lower,upper,size[,alignment])", cells[c]));
        if (*slot != -1) fail(fmt::format("column '{}' appears twice", cells[c]));
        *slot = static_cast<int>(c);
      }
      if (col_id < 0 || col_lower < 0 || col_upper < 0 || col_size < 0)
        fail("the header must name the columns id, lower, upper and size");
      columns = cells.size();
      continue;
    }
    if (cells.size() != columns) fail(fmt::format("expected {} values, found {}", columns, cells.size()));
    auto number = [&](int column, const char* name) {
      const std::string_view cell = cells[static_cast<std::size_t>(column)];
      std::int64_t value = 0;
      auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
      if (ec == std::errc::result_out_of_range) fail(fmt::format("{} '{}' does not fit in 64 bits", name, cell));
      if (ec != std::errc() || end != cell.data() + cell.size() || cell.empty())
        fail(fmt::format("{} '{}' is not an integer", name, cell));
      return value;
    };
    Buffer b;
    b.name = std::string(cells[static_cast<std::size_t>(col_id)]);
    if (b.name.empty()) fail("empty id");
    const std::int64_t lower = number(col_lower, "lower");
    const std::int64_t upper = number(col_upper, "upper");
    b.size = number(col_size, "size");
    if (col_align >= 0) b.alignment = number(col_align, "alignment");
    if (upper <= lower) fail(fmt::format("buffer '{}': upper {} must be greater than lower {}", b.name, upper, lower));
    if (b.size < 0) fail(fmt::format("buffer '{}': negative size {}", b.name, b.size));
    if (!is_power_of_two(b.alignment))
      fail(fmt::format("buffer '{}': alignment {} must be a power of two", b.name, b.alignment));
    b.live.push_back({lower, upper});
    b.pools.push_back(0);
    // The --max-buffers and --max-total-size limits as the rows come, not after the whole file.
    if (static_cast<std::int64_t>(problem.buffers.size()) >= std::min<std::int64_t>(limits.max_buffers, 0x7ffffff0))
      fail(fmt::format("more than {} buffers, the limit", limits.max_buffers), Remedy::raise_max_buffers);
    if (b.size <= (Bytes{1} << 60) && (total += b.size) > std::min(limits.max_total_bytes, Bytes{1} << 62))
      fail(fmt::format("the buffers' sizes add up to more than the limit of {} bytes", limits.max_total_bytes),
           Remedy::raise_max_total_bytes);
    problem.buffers.push_back(std::move(b));
  }
  if (!header_seen) throw InputError(fmt::format("{}: empty file (expected a header id,lower,upper,size)", path));
  return problem;
}

}  // namespace arenaplan
