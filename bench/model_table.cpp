// model_table [--dim FILE:NAME=AxBx...] DIR|MODEL...: the README's model table (--dim: the shape of
// a dynamic graph input of the model named FILE, as `arenaplan --dim NAME=AxBx...`). Per model (.tflite or .onnx): its
// operators, whether `run` passes (the generated C on poisoned, guarded pools against separate buffers), the arena with
// the arenaplan kernels, and what TFLite Micro's planner needs with its own kernels.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "arenaplan/error.h"
#include "arenaplan/execution_check.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/onnx.h"

namespace {

using namespace arenaplan;
namespace fs = std::filesystem;

std::string first_line(std::string text) { return text.substr(0, text.find('\n')); }

std::map<std::string, OnnxOptions> dims;  // by model file name

void row(const fs::path& path) {
  const std::string name = path.filename().string();
  Graph graph;
  try {
    const auto given = dims.find(name);
    graph = read_model(path.string(), {}, given == dims.end() ? OnnxOptions{} : given->second);
  } catch (const std::exception& e) {
    fmt::print("| {} | not read: {} | | | |\n", name, first_line(e.what()));
    return;
  }
  std::set<std::string> ops;
  for (const Operator& op : graph.operators) ops.insert(op.opcode);
  LoweringOptions lowering;
  lowering.kernels = "arenaplan";
  SolveOptions solving;
  solving.time_limit_seconds = 2;
  std::string arena = "-", tflm = "-", run = "-";
  try {
    const ModelPlan ours = plan_model(graph, lowering, solving);
    arena = fmt::to_string(ours.arena_bytes());
    try {
      ExecutionOptions execution;
      execution.random_inputs = 1;
      const ExecutionReport r = check_by_execution(graph, ours.lowered, ours.plan, execution);
      run = r.passed() ? fmt::format("passes ({} outputs)", r.outputs_compared) : "MISMATCH";
    } catch (const std::exception& e) {
      const std::string why = first_line(e.what());
      const auto at = why.find("operator ");
      run = "no: " + (at == std::string::npos ? why : why.substr(at));
    }
  } catch (const std::exception& e) { arena = "not planned: " + first_line(e.what()); }
  try {
    tflm = fmt::to_string(plan_like_tflm(graph, "reference").arena_bytes());
  } catch (const std::exception&) {}
  fmt::print("| {} | {} | {} | {} | {} |\n", name, fmt::join(ops, ", "), run, arena, tflm);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<fs::path> models;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--dim" && i + 1 < argc) {
      const std::string spec = argv[++i];
      const auto colon = spec.find(':'), eq = spec.find('=');
      if (colon == std::string::npos || eq == std::string::npos || eq < colon) {
        std::cerr << "model_table: --dim FILE:NAME=AxBx...\n";
        return 2;
      }
      std::vector<std::int64_t> shape;
      for (std::size_t at = eq + 1; at <= spec.size();) {
        const std::size_t x = std::min(spec.find('x', at), spec.size());
        shape.push_back(std::stoll(spec.substr(at, x - at)));
        at = x + 1;
      }
      dims[spec.substr(0, colon)].input_shapes[spec.substr(colon + 1, eq - colon - 1)] = shape;
      continue;
    }
    if (fs::is_directory(argv[i])) {
      std::vector<fs::path> found;
      for (const auto& e : fs::directory_iterator(argv[i]))
        if (e.path().extension() == ".tflite" || e.path().extension() == ".onnx") found.push_back(e.path());
      std::sort(found.begin(), found.end());
      models.insert(models.end(), found.begin(), found.end());
    } else {
      models.emplace_back(argv[i]);
    }
  }
  std::cout << "| model | operators | `run` | arena, arenaplan kernels (bytes) | TFLite Micro arena (bytes) |\n"
               "|---|---|---|---:|---:|\n";
  for (const fs::path& m : models) row(m);
  return 0;
}
