// Planning a model end to end: Graph -> (kernel profile, lowering) -> Problem -> solve -> Plan.
#pragma once

#include "arenaplan/algorithm.h"
#include "arenaplan/graph.h"
#include "arenaplan/lowering.h"
#include "arenaplan/plan.h"

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

// Lowers and solves. With options.tflm_compat and the default algorithm ("auto"), TFLite
// Micro's own planner (`tflm`) is used, so the arena is what TFLite Micro would plan.
ModelPlan plan_model(const Graph& graph, const LoweringOptions& lowering, SolveOptions solving);

// What TFLite Micro's GreedyMemoryPlanner needs for the graph's non-persistent arena (the
// "head"), with TFLite Micro's lifetime and alignment rules and the given kernel profile.
ModelPlan plan_like_tflm(const Graph& graph, const std::string& kernels);

}  // namespace arenaplan
