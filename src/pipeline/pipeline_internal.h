// The pooled branch of plan_models(): lower, choose candidates, assign, solve with every buffer
// fixed to its pool, check.
#pragma once

#include "arenaplan/model_planning.h"

namespace arenaplan::pipeline {

PooledModel plan_in_pools(const Graph& graph, LoweringOptions lowering, const SolveOptions& solving,
                          const PoolSetup& setup);

}  // namespace arenaplan::pipeline
