// Reading problems and plans from files, and writing plans.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "arenaplan/plan.h"
#include "arenaplan/problem.h"

namespace arenaplan {

// Problem JSON (TVM-style: pools[], buffers[] with conflicts and/or live ranges).
// Every reader holds its input to `limits` (file size, JSON nesting; buffers, total size and
// timeline where it normalises).
Problem read_problem_json(const std::string& path, const InputLimits& limits = {});
// MiniMalloc CSV: id,lower,upper,size[,alignment] with a header line.
Problem read_problem_csv(const std::string& path, const InputLimits& limits = {});
// The same from text in memory; `source` names it in messages. Not normalised.
Problem parse_problem_json(const std::string& text, const std::string& source, const InputLimits& limits = {});
Problem parse_problem_csv(const std::string& text, const std::string& source, const InputLimits& limits = {});
// Chooses the reader by content: JSON when the first non-blank byte is '{', CSV otherwise.
// The problem is normalised; warnings (asymmetric conflicts) go to `warnings`.
Problem read_problem(const std::string& path, std::ostream& warnings, const InputLimits& limits = {});

// A model tensor planned on the bytes of a buffer of the problem (RESHAPE, SQUEEZE, EXPAND_DIMS; a
// slice of an in-place CONCATENATION's output): written in the plan's buffers with "alias_of" naming
// that buffer (and "alias_offset" for a slice), so every tensor appears.
struct TensorAlias {
  std::string name;  // the tensor's name
  std::int64_t tensor = -1;
  Bytes size = 0;
  std::int32_t buffer = -1;  // index into Problem::buffers
  Bytes offset = 0;          // its first byte in the buffer (an in-place CONCATENATION's input), else 0
};

// Plan JSON (DESIGN.md §5, stable: fields are added, never renamed).
// With `timing` false, solve_seconds is written as 0 so that the bytes depend only on the input.
void write_plan_json(const Problem& problem, const Plan& plan, std::ostream& out, bool timing = true,
                     const std::vector<TensorAlias>& aliases = {});
// The plan JSON without its buffers, with the "plan_file" that has them and their "buffer_count"
// (the entries of its "buffers", tensor aliases included): what `--format json` prints when -o
// writes the plan JSON (a million buffers are not printed twice).
void write_plan_summary_json(const Problem& problem, const Plan& plan, std::ostream& out, bool timing,
                             const std::string& plan_file, const std::vector<TensorAlias>& aliases = {});
// Reads a plan written by write_plan_json, matching buffers and pools to `problem` by name.
// An "alias_of" entry must name a buffer of the plan and sit at its pool and offset plus its
// "alias_offset" (default 0), its bytes inside the buffer's.
// Malformed files throw InputError. A well-formed plan that does not match the problem (a
// buffer placed twice, an unknown buffer or pool) is returned with the first such mismatch in
// `mismatch`, for the caller to report as a violation; unplaced buffers keep pool -1.
Plan read_plan_json(const std::string& path, const Problem& problem, std::optional<std::string>& mismatch,
                    const InputLimits& limits = {});
Plan parse_plan_json(const std::string& text, const std::string& source, const Problem& problem,
                     std::optional<std::string>& mismatch, const InputLimits& limits = {});

// Plan CSV (MiniMalloc's output): id,lower,upper,size,offset, for problems with one pool and one
// live range per buffer (plan_csv_fits). The reader needs the columns id and offset.
bool plan_csv_fits(const Problem& problem);
void write_plan_csv(const Problem& problem, const Plan& plan, std::ostream& out);
Plan read_plan_csv(const std::string& path, const Problem& problem, std::optional<std::string>& mismatch,
                   const InputLimits& limits = {});
Plan parse_plan_csv(const std::string& text, const std::string& source, const Problem& problem,
                    std::optional<std::string>& mismatch);

// A plan JSON read on its own: its pools and buffers (sizes, kinds, live ranges) as a Problem,
// and their placements as a Plan (tensor aliases are left out: their bytes are their buffer's).
// Plan files carry no explicit conflicts. Throws InputError.
struct PlanFile {
  std::string path;
  Problem problem;
  Plan plan;
};
PlanFile read_plan_file(const std::string& path, const InputLimits& limits = {});

// A file to write into an output directory.
struct OutputFile {
  std::string name;  // file name inside the directory
  std::string text;
};

// Writes `content` to `path` atomically (temporary file, fsync, rename): never a partial file. A
// symlink is followed and its target written; a device or FIFO is written through.
void write_file_atomically(const std::string& path, const std::string& content);

// Writes `files` into the directory `dir` (created if missing) as one recoverable transaction:
// the files of a previous output (listed in dir/.arenaplan-manifest) are replaced, files
// arenaplan did not write are left alone, and a non-empty directory that is not a previous output
// is refused (InputError). A run killed midway is finished or undone by the next one.
void write_directory_atomically(const std::string& dir, const std::vector<OutputFile>& files);

}  // namespace arenaplan
