#include "cli/plan_report.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "arenaplan/lower_bound.h"
#include "bounds/live_peak.h"
#include "cli/report_text.h"

namespace arenaplan::cli {
namespace {

// Long TFLite tensor names ("model/conv/Relu;model/conv/BiasAdd;...") are cut for the table.
std::string short_name(const std::string& name) {
  constexpr std::size_t kWidth = 40;
  return name.size() <= kWidth ? name : name.substr(0, kWidth - 3) + "...";
}

std::string ratio(Bytes value, Bytes bound) {
  return bound > 0 ? fmt::format("{:.3f}", static_cast<double>(value) / static_cast<double>(bound)) : "-";
}

std::string summary(const Graph& graph, const LoweredModel& lowered, const std::string& kernels) {
  std::size_t constants = 0, variables = 0, activations = 0;
  for (const Tensor& t : graph.tensors) (t.is_constant ? constants : t.is_variable ? variables : activations)++;
  std::map<std::string, int> ops;
  for (const Operator& op : graph.operators) ++ops[op.opcode];
  std::string op_list;
  for (const auto& [name, count] : ops) op_list += fmt::format("{}{} {}", op_list.empty() ? "" : ", ", name, count);
  std::size_t scratch = 0;
  Bytes scratch_bytes = 0;
  for (const Buffer& b : lowered.problem.buffers)
    if (b.kind == BufferKind::scratch) {
      ++scratch;
      scratch_bytes += b.size;
    }
  std::string out = fmt::format("model {}\n", graph.source);
  out += fmt::format("  {} operators ({}), {} steps\n", graph.operators.size(), op_list, lowered.steps);
  out += fmt::format("  {} tensors: {} constant, {} variable, {} activation\n", graph.tensors.size(), constants,
                     variables, activations);
  out += fmt::format("  kernel profile {}: {} scratch buffers, {} bytes\n", kernels, scratch, scratch_bytes);
  std::string folded;
  for (std::size_t i = 0; i < graph.operators.size(); ++i)
    if (lowered.folded(i)) folded += fmt::format("{}{} into {}", folded.empty() ? "" : ", ", i, lowered.folded_into[i]);
  if (!folded.empty())
    out += fmt::format("  PAD folded into the convolution's padding (operator into operator): {}\n", folded);
  return out;
}

std::string pools(const ModelPlan& ours, const ModelPlan* tflm, bool timing) {
  const Problem& problem = ours.lowered.problem;
  const Plan& plan = ours.plan;
  const std::vector<Bytes> bounds = pool_lower_bounds(problem, plan);
  std::string out = "pools\n";
  for (std::size_t p = 0; p < problem.pools.size(); ++p)
    out += fmt::format("  {:<12} {:<10} {:>12} bytes   lower bound {:>12}   ratio {}\n", problem.pools[p].name,
                       to_string(problem.pools[p].kind), plan.pool_sizes[p], bounds[p],
                       ratio(plan.pool_sizes[p], bounds[p]));
  const Bytes arena = ours.arena_bytes();
  const Bytes bound = ours.arena_lower_bound();
  const std::string whole =
      problem.has_overlaps() ? fmt::format(" (overlap-aware; whole-tensor {} bytes)", ours.arena_whole_tensor_bound())
                             : std::string();
  out += fmt::format("arena {} bytes, lower bound {} bytes{}, ratio {}{}\n", arena, bound, whole, ratio(arena, bound),
                     arena <= bound ? " (optimal)" : "");
  if (tflm != nullptr) {
    // TFLite Micro keeps variable tensors in its persistent tail: when ours plans them in the
    // arena, the same set of buffers costs TFLM its head plus those bytes.
    const Bytes head = tflm->arena_bytes();
    const Bytes variables = ours.variables_in_arena() ? tflm->persistent_bytes() : 0;
    out += fmt::format("TFLite Micro (GreedyMemoryPlanner, its lifetimes, 16-byte rounding): head {} bytes", head);
    if (variables > 0)
      out += fmt::format(" + {} bytes of variable tensors in its tail = {} bytes", variables, head + variables);
    out += fmt::format("; ours {:+} bytes", arena - head - variables);
    const bool io_outside = std::none_of(problem.buffers.begin(), problem.buffers.end(), [](const Buffer& b) {
      return b.kind == BufferKind::input || b.kind == BufferKind::output;
    });
    out += io_outside ? " (TFLite Micro also holds the inputs and outputs in its head)\n" : "\n";
  }
  return out + algorithm_line(plan, timing) + "\n";
}

std::string peak(const Graph& graph, const ModelPlan& ours, const std::vector<Bytes>& live) {
  const LoweredModel& lowered = ours.lowered;
  if (live.empty()) return {};
  const Step at = live_peak(lowered.problem, buffers_in_pool(ours.plan, lowered.arena_pool)).step;
  std::string where;
  for (std::size_t i = 0; i < lowered.operator_steps.size(); ++i)
    if (lowered.operator_steps[i].first <= at && at < lowered.operator_steps[i].last)
      where = fmt::format(" ({}, stage {})", graph.describe_operator(i), at - lowered.operator_steps[i].first);
  std::string out = fmt::format("peak at step {}{}: {} bytes live\n", at, where, live[static_cast<std::size_t>(at)]);
  out += fmt::format("  {:<40} {:<10} {:>10} {:>10}\n", "buffer", "kind", "offset", "bytes");
  for (std::size_t i = 0; i < lowered.problem.buffers.size(); ++i) {
    const Buffer& b = lowered.problem.buffers[i];
    if (ours.plan.placements[i].pool != lowered.arena_pool) continue;
    const bool live_here =
        std::any_of(b.live.begin(), b.live.end(), [&](const Interval& r) { return r.first <= at && at < r.last; });
    if (live_here)
      out += fmt::format("  {:<40} {:<10} {:>10} {:>10}\n", short_name(b.name), to_string(b.kind),
                         ours.plan.placements[i].offset, b.size);
  }
  return out;
}

std::string per_operator(const Graph& graph, const ModelPlan& ours, const std::vector<Bytes>& live) {
  const LoweredModel& lowered = ours.lowered;
  std::vector<Bytes> scratch(graph.operators.size(), 0);
  for (const Buffer& b : lowered.problem.buffers)
    if (b.kind == BufferKind::scratch && b.op) scratch[static_cast<std::size_t>(*b.op)] += b.size;
  std::string out =
      fmt::format("{:>4}  {:<30} {:>9} {:>9}  {}\n", "op", "operator", "steps", "scratch", "live bytes per step");
  for (std::size_t i = 0; i < graph.operators.size(); ++i) {
    const Interval steps = lowered.operator_steps[i];
    std::string per_step;
    for (Step s = steps.first; s < steps.last && s < static_cast<Step>(live.size()); ++s)
      per_step += fmt::format("{}{}", per_step.empty() ? "" : " / ", live[static_cast<std::size_t>(s)]);
    const std::string name = lowered.folded(i)
                                 ? fmt::format("{} (folded into {})", graph.operators[i].opcode, lowered.folded_into[i])
                                 : graph.operators[i].opcode;
    out += fmt::format("{:>4}  {:<30} {:>9} {:>9}  {}\n", i, name, fmt::format("{}-{}", steps.first, steps.last - 1),
                       scratch[i], per_step);
  }
  return out;
}

}  // namespace

std::string overlap_summary(const ModelPlan& ours, const ModelPlan* tflm, const std::string& kernels,
                            std::optional<Bytes> model_whole_tensor) {
  const Problem& problem = ours.lowered.problem;
  const Bytes plan_whole = ours.arena_whole_tensor_bound();
  const Bytes whole = model_whole_tensor.value_or(plan_whole);
  std::string out = fmt::format("memory: whole-tensor lower bound {} bytes", whole);
  if (whole != plan_whole)
    out += fmt::format(" ({} with the staging and ring scratch of the overlapping kernels)", plan_whole);
  out +=
      fmt::format(", overlap-aware lower bound {} bytes, arena {} bytes", ours.arena_lower_bound(), ours.arena_bytes());
  if (tflm != nullptr) out += fmt::format(", TFLite Micro {} bytes", tflm->arena_bytes());
  std::size_t pairs = 0;
  for (const Buffer& b : problem.buffers) pairs += b.overlaps.size();
  if (pairs > 0)
    return out + fmt::format("\noverlap: {} outputs may be written over the input they replace (kernels {})\n", pairs,
                             kernels);
  if (kernels != "arenaplan")
    return out + fmt::format(
                     "\noverlap: none, the plan stays whole-tensor: TFLite Micro's {} kernels assume every output "
                     "apart from its inputs (--kernels arenaplan honours overlaps)\n",
                     kernels);
  return out + "\noverlap: none (--no-overlap, or no input dies where an output is written)\n";
}

std::string plan_report(const PlanReportInput& in) {
  const LoweredModel& lowered = in.ours.lowered;
  const std::vector<Bytes> live =
      live_bytes_per_step(lowered.problem, buffers_in_pool(in.ours.plan, lowered.arena_pool), lowered.steps);
  std::string out = summary(in.graph, in.ours.lowered, in.kernels);
  out += pools(in.ours, in.tflm, in.timing);
  out += overlap_summary(in.ours, in.tflm, in.kernels, in.model_whole_tensor);
  out += peak(in.graph, in.ours, live);
  out += per_operator(in.graph, in.ours, live);
  return out;
}

}  // namespace arenaplan::cli
