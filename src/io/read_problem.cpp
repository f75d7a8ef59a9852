// Reads a problem file of either format and normalises it, reporting what normalising changed.
#include <ostream>

#include <fmt/format.h>

#include "arenaplan/io.h"
#include "io/files.h"

namespace arenaplan {

Problem read_problem(const std::string& path, std::ostream& warnings, const InputLimits& limits) {
  // By extension; otherwise by the first non-blank byte ('{' or '[' is JSON).
  bool json = path.ends_with(".json") || path.ends_with(".JSON");
  if (!json && !path.ends_with(".csv") && !path.ends_with(".CSV")) {
    const std::string head = read_file(path, limits).substr(0, 4096);
    const std::size_t first = head.find_first_not_of(" \t\r\n");
    json = first != std::string::npos && (head[first] == '{' || head[first] == '[');
  }
  Problem problem = json ? read_problem_json(path, limits) : read_problem_csv(path, limits);
  const NormaliseReport report = normalise(problem, path, limits);
  if (report.asymmetric_edges_added > 0)
    warnings << fmt::format(
        "arenaplan: warning: {}: {} conflict(s) were listed on one side only; conflicts are "
        "symmetric, so they now apply both ways\n",
        path, report.asymmetric_edges_added);
  if (report.self_conflicts_dropped > 0)
    warnings << fmt::format("arenaplan: warning: {}: {} buffer(s) listed themselves as a conflict; ignored\n", path,
                            report.self_conflicts_dropped);
  if (report.duplicate_edges_dropped > 0)
    warnings << fmt::format("arenaplan: warning: {}: {} duplicate conflict(s) ignored\n", path,
                            report.duplicate_edges_dropped);
  return problem;
}

}  // namespace arenaplan
