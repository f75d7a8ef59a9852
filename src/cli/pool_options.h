// The pool options shared by `plan`, `compile` and `run`: --pool SPEC (repeatable, priority
// order), --pools FILE, --place PATTERN=POOL; for `plan`, more models and --shared-pool (U2).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "arenaplan/limits.h"
#include "arenaplan/model_planning.h"

namespace arenaplan::cli {

struct PoolArgs {
  std::vector<std::string> specs;
  std::string file;
  std::vector<std::string> place;
  std::vector<std::string> more_models;  // plan only: models that run one after another
  std::string shared_pool;               // plan only: the workspace pool they share
  bool active() const {
    return !specs.empty() || !file.empty() || !place.empty() || !more_models.empty() || !shared_pool.empty();
  }
};

void add_pool_options(CLI::App* cmd, PoolArgs& args);
void add_shared_pool_options(CLI::App* cmd, PoolArgs& args);  // plan: MORE_MODELS..., --shared-pool
PoolSetup pool_setup(const PoolArgs& args, const InputLimits& limits);

// The report of `arenaplan plan` with pools: one model, or several sharing a workspace pool.
struct PoolPlanOutput {
  std::string text;
  std::string json;  // the plan JSON (an array of plans for several models)
};
PoolPlanOutput pool_plan_output(const std::vector<std::string>& models, const std::vector<Graph>& graphs,
                                const ModelsPlan& planned, const std::string& shared_pool, bool timing);

// Prints the lowering's and the pool assignment's warnings on stderr.
void print_warnings(const PooledModel& pooled);

}  // namespace arenaplan::cli
