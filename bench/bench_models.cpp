// bench_models [MODEL_DIR]: plans every .tflite model in MODEL_DIR (default ../shared/models/tflite)
// with each kernel profile and prints, per model: operators, tensors, scratch buffers, the arena
// arenaplan plans, what TFLite Micro's planner needs under its own rules (head, plus the
// variable tensors it keeps in its tail, when ours plans them in the arena), the live-set lower
// bound, and the planning time (import + lowering + solving). A synthetic ~100-operator graph is
// timed at the end.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/tflite.h"

namespace {

using namespace arenaplan;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::size_t scratch_count(const LoweredModel& lowered) {
  return static_cast<std::size_t>(std::count_if(lowered.problem.buffers.begin(), lowered.problem.buffers.end(),
                                                [](const Buffer& b) { return b.kind == BufferKind::scratch; }));
}

// A MobileNet-like graph of `blocks` inverted-residual blocks (1x1 expand, 3x3 depthwise, 1x1
// project, ADD): 4 operators per block, int8, 24x24 feature maps.
Graph synthetic_graph(int blocks) {
  Graph g;
  g.source = fmt::format("synthetic ({} operators)", 4 * blocks + 1);
  auto tensor = [&](std::vector<std::int64_t> shape, bool constant) {
    Tensor t;
    t.name = fmt::format("t{}", g.tensors.size());
    t.type = DataType::int8;
    t.shape = std::move(shape);
    t.bytes = t.elements();
    t.is_constant = constant;
    t.constant_buffer = constant ? static_cast<std::int64_t>(g.tensors.size()) + 1 : -1;
    g.tensors.push_back(t);
    return static_cast<std::int32_t>(g.tensors.size() - 1);
  };
  auto op = [&](std::string opcode, std::vector<std::int32_t> in, std::vector<std::int32_t> out) {
    Operator o;
    o.opcode = std::move(opcode);
    o.inputs = std::move(in);
    o.outputs = std::move(out);
    o.attributes = {{"padding", kPaddingSame}, {"stride_w", 1}, {"stride_h", 1}};
    g.operators.push_back(std::move(o));
  };
  const std::int64_t hw = 24, c = 16, expand = 64;
  std::int32_t x = tensor({1, hw, hw, 3}, false);
  g.inputs = {x};
  std::int32_t stem = tensor({1, hw, hw, c}, false);
  op("CONV_2D", {x, tensor({c, 3, 3, 3}, true), tensor({c}, true)}, {stem});
  x = stem;
  for (int b = 0; b < blocks; ++b) {
    const std::int32_t e = tensor({1, hw, hw, expand}, false);
    op("CONV_2D", {x, tensor({expand, 1, 1, c}, true), tensor({expand}, true)}, {e});
    const std::int32_t d = tensor({1, hw, hw, expand}, false);
    op("DEPTHWISE_CONV_2D", {e, tensor({1, 3, 3, expand}, true), tensor({expand}, true)}, {d});
    const std::int32_t p = tensor({1, hw, hw, c}, false);
    op("CONV_2D", {d, tensor({c, 1, 1, expand}, true), tensor({c}, true)}, {p});
    const std::int32_t sum = tensor({1, hw, hw, c}, false);
    op("ADD", {x, p}, {sum});
    x = sum;
  }
  g.outputs = {x};
  for (std::int32_t t : g.inputs) g.tensors[t].is_input = true;
  for (std::int32_t t : g.outputs) g.tensors[t].is_output = true;
  return g;
}

void print_row(const std::string& name, const Graph& g, const std::string& kernels, const ModelPlan& ours,
               const ModelPlan& tflm, double ms) {
  const Bytes tflm_same = tflm.arena_bytes() + (ours.variables_in_arena() ? tflm.persistent_bytes() : 0);
  fmt::print("{:<38} {:>4} {:>5} {:<9} {:>7} {:>9} {:>9} {:>9} {:>7} {:>9.2f}\n", name, g.operators.size(),
             g.tensors.size(), kernels, scratch_count(ours.lowered), ours.arena_bytes(), tflm_same,
             ours.arena_lower_bound(),
             fmt::format("{:+.1f}%", 100.0 * static_cast<double>(ours.arena_bytes() - tflm_same) /
                                         static_cast<double>(std::max<Bytes>(tflm_same, 1))),
             ms);
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path dir = argc > 1 ? argv[1] : "../shared/models/tflite";
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error))
    if (entry.path().extension() == ".tflite") files.push_back(entry.path());
  if (error) {
    std::cerr << "bench_models: cannot read " << dir << ": " << error.message() << '\n';
    return 2;
  }
  std::sort(files.begin(), files.end());
  fmt::print("{:<38} {:>4} {:>5} {:<9} {:>7} {:>9} {:>9} {:>9} {:>7} {:>9}\n", "model", "ops", "tens", "kernels",
             "scratch", "ours", "TFLM", "lower bd", "vs TFLM", "plan ms");
  ModelPlanOptions options;  // as `arenaplan plan` without pools
  options.solving.time_limit_seconds = 5.0;
  // The library's one entry point for planning a model.
  auto plan_one = [&](const Graph& g) { return std::move(plan_models({&g, 1}, options).models.front().model); };
  for (const auto& file : files) {
    for (const std::string kernels : {"reference", "cmsis-nn"}) {
      try {
        const auto start = Clock::now();
        const Graph g = read_tflite(file.string());
        options.lowering.kernels = kernels;
        const ModelPlan ours = plan_one(g);
        const double ms = ms_since(start);
        print_row(file.stem().string(), g, kernels, ours, plan_like_tflm(g, kernels), ms);
      } catch (const std::exception& e) { fmt::print("{:<38} error: {}\n", file.stem().string(), e.what()); }
    }
  }
  for (int blocks : {25, 100}) {
    const Graph g = synthetic_graph(blocks);
    const auto start = Clock::now();
    options.lowering = LoweringOptions{};
    const ModelPlan ours = plan_one(g);
    const double ms = ms_since(start);
    print_row(g.source, g, "reference", ours, plan_like_tflm(g, "reference"), ms);
  }
  fmt::print(
      "TFLM = TFLite Micro's GreedyMemoryPlanner with its lifetimes and 16-byte rounding (head), plus its\n"
      "variable tensors (kept in its tail) when ours plans them in the arena. ours = default `arenaplan plan`.\n");
  return 0;
}
