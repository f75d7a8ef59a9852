// Planning a model end to end, in one call: Graph -> (kernel profile, lowering) -> Problem ->
// (pool assignment) -> solve -> checked Plan. The command line, the benchmarks and any other
// front end call plan_models(); the rest of this header are views of it.
//
// Pools: fill the fast (higher-priority) pools with the buffers that gain most from them — the
// bytes the run reads and writes in each buffer per byte of pool it occupies (its access
// density) — then fall back to the next pool. Assignment first (greedy by density, each pool's
// fit verified by planning its buffers, the least dense backed off when it overflows), then the
// whole problem is solved with every buffer fixed to its pool, and checked.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "arenaplan/algorithm.h"
#include "arenaplan/graph.h"
#include "arenaplan/lowering.h"
#include "arenaplan/plan.h"
#include "arenaplan/pools.h"

namespace arenaplan {

struct ModelPlan {
  LoweredModel lowered;
  Plan plan;  // checked by solve()

  Bytes arena_bytes() const;               // size of the workspace arena
  Bytes arena_lower_bound() const;         // largest total live in the arena at one step (overlap-aware)
  Bytes arena_whole_tensor_bound() const;  // the same with overlap allowances taken as conflicts
  Bytes persistent_bytes() const;          // size of the persistent pool (variables), 0 if none
  bool variables_in_arena() const;         // variable tensors are planned in the arena
};

struct PooledModel {
  ModelPlan model;                    // with pools: problem.pools follow `pools` (user pools, then defaults)
  std::vector<PoolSpec> pools;        // the pools in problem order, defaults included (empty without pools)
  std::vector<BufferChoice> choices;  // per buffer of model.lowered.problem (empty without pools)
  std::vector<std::string> warnings;  // rules that matched nothing, ...
};

struct ModelPlanOptions {
  LoweringOptions lowering;  // kernel profile, TFLite Micro compatibility, I/O, aliasing
  SolveOptions solving;      // with lowering.tflm_compat and "auto", TFLite Micro's planner (`tflm`)
  // The chip's pools and placement rules. None: the lowering's own pools (one arena, a constant
  // pool, a persistent pool when lowering.persistent_pool).
  std::optional<PoolSetup> pools;
  // Models that run one after another share this workspace pool of `pools` (U2): it becomes
  // external, and the application allocates the largest size any model needs.
  std::string shared_pool;
};

struct ModelsPlan {
  std::vector<PooledModel> models;       // one per graph, in order
  std::vector<Bytes> shared_pool_bytes;  // per model, its size of the shared pool (empty without one)
  Bytes shared_pool_size() const;        // the largest of them
};

// Plans every graph with the same options. Throws InputError for options or pools that do not
// suit a model, NoSolution naming the pool that overflows, by how much, and the smallest size
// found to work.
ModelsPlan plan_models(std::span<const Graph> graphs, const ModelPlanOptions& options);

// plan_models for one graph without pools.
ModelPlan plan_model(const Graph& graph, const LoweringOptions& lowering, SolveOptions solving);
// plan_models for one graph with pools (an empty setup: the default pools).
PooledModel plan_model_in_pools(const Graph& graph, LoweringOptions lowering, const SolveOptions& solving,
                                const PoolSetup& setup);

// What TFLite Micro's GreedyMemoryPlanner needs for the graph's non-persistent arena (the
// "head"), with TFLite Micro's lifetime and alignment rules and the given kernel profile.
ModelPlan plan_like_tflm(const Graph& graph, const std::string& kernels);

// The model's whole-tensor lower bound as issue 14 states it: every tensor held whole from its
// first write to its last read, on the model's schedule, with the kernels' plain variants (no
// staging or ring scratch of the overlapping ones): the arena bound of the lowering without
// overlaps. It can be below a plan's whole_tensor bound, which counts that plan's scratch.
Bytes model_whole_tensor_bound(const Graph& graph, LoweringOptions lowering);

}  // namespace arenaplan
