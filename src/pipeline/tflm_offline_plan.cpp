// Offline plans for the stock TFLite Micro interpreter. The metadata carries tensor offsets only;
// the scratch buffers TFLite Micro's kernels request at run time are placed by its
// GreedyMemoryPlanner around the offline tensors. So every candidate is judged by simulating that
// (the `tflm` algorithm places fixed buffers first, then the others first-fit by size), and the
// offsets written are those of the candidate with the smallest simulated head.
#include <limits>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/lowering.h"
#include "arenaplan/tflm_offline_plan.h"

namespace arenaplan {
namespace {

struct Candidate {
  std::vector<std::int32_t> offsets;  // per tensor, -1 = online
  Bytes head = std::numeric_limits<Bytes>::max();
  std::string source;
};

Bytes arena_size(const LoweredModel& lowered, const Plan& plan) {
  return lowered.arena_pool >= 0 ? plan.pool_sizes.at(static_cast<std::size_t>(lowered.arena_pool)) : 0;
}

bool is_tensor_in_arena(const LoweredModel& lowered, std::int32_t buffer) {
  const Buffer& b = lowered.problem.buffers[static_cast<std::size_t>(buffer)];
  return b.kind != BufferKind::scratch && b.tensor && b.pools.size() == 1 && b.pools.front() == lowered.arena_pool;
}

// The tensor offsets of `plan` (every tensor TFLite Micro plans in its head).
std::vector<std::int32_t> tensor_offsets(const LoweredModel& lowered, const Plan& plan, std::size_t tensors) {
  std::vector<std::int32_t> offsets(tensors, -1);
  for (std::size_t t = 0; t < tensors && t < lowered.tensor_buffer.size(); ++t) {
    const std::int32_t buffer = lowered.tensor_buffer[t];
    if (buffer < 0 || !is_tensor_in_arena(lowered, buffer)) continue;
    const Bytes offset = plan.placements[static_cast<std::size_t>(buffer)].offset;
    if (offset > std::numeric_limits<std::int32_t>::max())
      throw InputError(fmt::format("tensor {} would sit at offset {}, beyond TFLite Micro's int32 offsets", t, offset));
    offsets[t] = static_cast<std::int32_t>(offset);
  }
  return offsets;
}

// The head TFLite Micro ends up with when the tensors sit at `offsets` and its kernels' scratch
// buffers are placed online around them.
Bytes simulated_head(const LoweredModel& lowered, const std::vector<std::int32_t>& offsets) {
  Problem problem = lowered.problem;
  for (std::size_t t = 0; t < offsets.size() && t < lowered.tensor_buffer.size(); ++t)
    if (offsets[t] >= 0) problem.buffers[static_cast<std::size_t>(lowered.tensor_buffer[t])].fixed_offset = offsets[t];
  SolveOptions tflm;
  tflm.algorithm = "tflm";
  return arena_size(lowered, solve(problem, tflm));  // solve() checks: the fixed offsets overlap no live tensor
}

}  // namespace

TflmOfflinePlan plan_tflm_offline(const Graph& graph, const std::string& kernels, const SolveOptions& solving) {
  LoweringOptions options;
  options.kernels = kernels;
  options.tflm_compat = true;
  const LoweredModel plain = lower_graph(graph, options);  // what TFLite Micro plans by itself
  options.tflm_inplace_reshape = true;                     // RESHAPE outputs get their input's offset
  const LoweredModel aliased = lower_graph(graph, options);
  const std::size_t tensors = graph.tensors.size();

  TflmOfflinePlan out;
  for (const Buffer& b : plain.problem.buffers)
    if (b.kind == BufferKind::scratch && b.pools.front() == plain.arena_pool) out.scratch_bytes += b.size;

  SolveOptions tflm = solving;
  tflm.algorithm = "tflm";
  const Plan own = solve(plain.problem, tflm);
  out.tflm_head = arena_size(plain, own);

  // Candidates: TFLite Micro planning online (its head by definition), its own offsets (the same
  // head unless re-placing the scratch differs), and arenaplan's plan of tensors and scratch together.
  std::vector<Candidate> candidates;
  candidates.push_back({std::vector<std::int32_t>(tensors, -1), out.tflm_head, "none"});
  const auto own_offsets = tensor_offsets(plain, own, tensors);
  candidates.push_back({own_offsets, simulated_head(plain, own_offsets), "tflm"});
  SolveOptions ours = solving;
  if (ours.algorithm == "tflm") ours.algorithm = "auto";
  const Plan planned = solve(aliased.problem, ours);
  const auto our_offsets = tensor_offsets(aliased, planned, tensors);
  candidates.push_back(
      {our_offsets, simulated_head(aliased, our_offsets), fmt::format("arenaplan ({})", planned.algorithm)});

  // The smallest head wins; on a tie the later (arenaplan's, then TFLite Micro's own offsets) is kept,
  // so a plan is written whenever it is no worse than TFLite Micro planning alone.
  const Candidate* best = &candidates.front();
  for (const Candidate& c : candidates)
    if (c.head <= best->head) best = &c;
  out.offsets = best->offsets;
  out.offline_head = best->head;
  out.source = best->source;
  for (std::int32_t o : out.offsets) out.planned_tensors += o >= 0 ? 1 : 0;
  return out;
}

}  // namespace arenaplan
