// The execution check (`arenaplan run`): compile the generated C for a planned model with the
// host compiler, run it with every workspace pool filled with poison and fenced by guard bytes,
// and compare every operator's output bit for bit with the same kernels run with each tensor and
// scratch buffer in its own allocation. Proves the plan by execution, independently of the
// checker: a liveness or placement mistake shows up as a differing output.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "arenaplan/graph.h"
#include "arenaplan/lowering.h"
#include "arenaplan/plan.h"

namespace arenaplan {

struct ExecutionOptions {
  std::string compiler;  // C compiler; empty: $CC, else "cc"
  std::vector<std::string> compiler_flags{"-O2"};
  std::uint64_t seed = 1;  // random inputs
  int random_inputs = 2;   // how many random input sets (plus one constant set)
  std::string work_dir;    // where the program is built; empty: a fresh temporary directory, removed after
  // Where the compiled kernel library is kept between runs (objects keyed by the compiler, the
  // flags and the library's text: src/execution/library_cache.h); empty: compiled every time.
  std::string library_cache_dir;
  // Non-empty: write input_<set>.bin and output_<set>.bin (planned run, all inputs / outputs
  // concatenated) there, and set<set>/t<index>.bin per tensor with an index.json (io_dump.h).
  std::string save_io_dir;
  bool save_trace = false;  // --save-io also writes every operator's output, not only the graph outputs
  // Input sets given as raw files, one per graph input in graph order; when non-empty they are
  // the only sets run (no random or constant set).
  std::vector<std::vector<std::string>> input_files;
};

struct ExecutionMismatch {
  std::string input_set;             // "random #1", "constant"
  std::string run;                   // "planned arena, poison 0xa5"
  std::int32_t op = -1;              // first operator whose output differs (-1: a graph output only)
  std::string tensor;                // its output tensor
  std::int64_t byte = 0;             // first differing byte
  int planned = 0, separate = 0;     // the byte's values
  std::vector<std::string> buffers;  // the buffers involved, with pool, offsets and live steps
};

struct ExecutionReport {
  int input_sets = 0;
  int runs = 0;                       // planned runs (each compared with the separate-buffer run)
  int guard_bytes = 0;                // before and after each pool
  std::int64_t outputs_compared = 0;  // operator outputs compared, over all runs
  std::int64_t bytes_compared = 0;
  std::vector<std::string> guard_failures;  // "pool 'arena': 3 guard bytes after the pool overwritten"
  // A test program that failed (exit status, signal, outputs absent or short, a different trace):
  // "the planned run (planned-a5) was killed by signal 11". That set is not compared further.
  std::vector<std::string> run_failures;
  std::vector<ExecutionMismatch> mismatches;  // at most one per run
  std::string compile_command;
  std::vector<std::vector<std::uint8_t>> outputs;  // graph outputs of the first input set (planned run)
  bool passed() const { return guard_failures.empty() && mismatches.empty() && run_failures.empty(); }
};

// The host compiler ran and did not build the generated code (`run` exits 3 for it alone).
class CompilerFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The plan must be for `lowered` with the `arenaplan` kernel profile. It is used as given (the
// caller checks it; tests hand in broken plans on purpose). Throws InputError for operators
// without a kernel, bad --inputs, and a compiler, work directory or --save-io directory that
// cannot be run, created or written; CompilerFailed when the compiler rejects the code. A test
// program that fails is reported in ExecutionReport::run_failures, not thrown.
ExecutionReport check_by_execution(const Graph& graph, const LoweredModel& lowered, const Plan& plan,
                                   const ExecutionOptions& options);

}  // namespace arenaplan
