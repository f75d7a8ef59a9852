// bench_overlap [MODEL_DIR...]: for every .tflite model (default ../shared/models/tflite and
// ../shared/models/zoo/tflite) planned for the arenaplan kernels, the arena with whole tensors
// (--no-overlap; it equals the whole-tensor lower bound on these models), the overlap-aware lower
// bound, the arena with overlap, and what TFLite Micro's planner needs with its reference kernels.
// Models with an operator the arenaplan kernels lack are marked: their code cannot be generated.
#include <algorithm>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "arenaplan/model_planning.h"
#include "arenaplan/tflite.h"

namespace {

using namespace arenaplan;

ModelPlan plan(const Graph& g, bool overlaps) {
  LoweringOptions lowering;
  lowering.kernels = "arenaplan";
  lowering.overlaps = overlaps;
  SolveOptions solving;
  solving.time_limit_seconds = 5.0;
  return plan_model(g, lowering, solving);
}

bool all_kernels(const LoweredModel& l) {
  return std::all_of(l.operator_memory.begin(), l.operator_memory.end(),
                     [](const OperatorMemory& m) { return m.known; });
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> dirs;
  for (int i = 1; i < argc; ++i) dirs.emplace_back(argv[i]);
  if (dirs.empty()) dirs = {"../shared/models/tflite", "../shared/models/zoo/tflite"};
  std::vector<std::filesystem::path> files;
  for (const auto& dir : dirs) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error))
      if (entry.path().extension() == ".tflite") files.push_back(entry.path());
    if (error) std::cerr << "bench_overlap: cannot read " << dir << ": " << error.message() << '\n';
  }
  std::sort(files.begin(), files.end());
  fmt::print("{:<44} {:>10} {:>10} {:>10} {:>10} {:>8}  {}\n", "model", "whole", "overlap lb", "arena", "TFLM",
             "vs whole", "");
  for (const auto& file : files) {
    try {
      const Graph g = read_tflite(file.string());
      const ModelPlan whole = plan(g, false), with = plan(g, true);
      const ModelPlan tflm = plan_like_tflm(g, "reference");
      const double saved = 100.0 * static_cast<double>(with.arena_bytes() - whole.arena_bytes()) /
                           static_cast<double>(std::max<Bytes>(whole.arena_bytes(), 1));
      fmt::print("{:<44} {:>10} {:>10} {:>10} {:>10} {:>7.1f}%  {}\n", file.stem().string(), whole.arena_bytes(),
                 with.arena_lower_bound(), with.arena_bytes(), tflm.arena_bytes(), saved,
                 all_kernels(with.lowered) ? "" : "(an operator without arenaplan kernel)");
    } catch (const std::exception& e) { fmt::print("{:<44} error: {}\n", file.stem().string(), e.what()); }
  }
  fmt::print(
      "whole = arena with every tensor whole (--no-overlap); overlap lb = overlap-aware lower bound; arena = with\n"
      "overlap (default); TFLM = TFLite Micro's GreedyMemoryPlanner head with its reference kernels. Bytes.\n");
  return 0;
}
