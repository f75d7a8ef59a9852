// Planning a model into the memories of a chip: which buffers go to which pool, then where.
//
// Objective: fill the fast (higher-priority) pools with the buffers that gain most from them —
// the bytes the run reads and writes in each buffer per byte of pool it occupies (its access
// density) — then fall back to the next pool. Assignment first (greedy by density, each pool's
// fit verified by planning its buffers, the least dense backed off when it overflows), then the
// whole problem is solved with every buffer fixed to its pool, and checked.
#pragma once

#include <string>
#include <vector>

#include "arenaplan/algorithm.h"
#include "arenaplan/graph.h"
#include "arenaplan/lowering.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/pools.h"

namespace arenaplan {

struct PoolSetup {
  std::vector<PoolSpec> pools;   // in priority order; kinds without a pool get an unlimited default
  std::vector<PlaceRule> place;  // per-tensor overrides, first match wins
  std::string where = "--pool";  // for messages
};

// Why a buffer went where it did.
struct BufferChoice {
  Bytes access_bytes = 0;  // bytes read and written during one run
  double density = 0.0;    // access_bytes / size
  std::string reason;
};

struct PooledModel {
  ModelPlan model;                    // problem.pools follow `pools` (user pools, then defaults)
  std::vector<PoolSpec> pools;        // the pools in problem order, defaults included
  std::vector<BufferChoice> choices;  // per buffer of model.lowered.problem
  std::vector<std::string> warnings;  // rules that matched nothing, ...
};

// Bytes each buffer of a lowered model is read and written in one run: a tensor counts once per
// operator that reads it and once for its writer (the caller writes inputs and reads outputs);
// a scratch buffer counts twice (written, then read).
std::vector<Bytes> buffer_access_bytes(const Graph& graph, const LoweredModel& lowered);

// Lowers, assigns pools, solves and checks. Throws InputError for pools or rules that do not
// suit the model, NoSolution naming the pool that overflows, by how much, and the smallest size
// found to work.
PooledModel plan_model_in_pools(const Graph& graph, LoweringOptions lowering, const SolveOptions& solving,
                                const PoolSetup& setup);

}  // namespace arenaplan
