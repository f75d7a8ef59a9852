// The pool options shared by `plan` and `compile`: --pool SPEC (repeatable, priority order),
// --pools FILE, --place PATTERN=POOL; for `plan`, more models and --shared-pool (U2).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "arenaplan/algorithm.h"
#include "arenaplan/limits.h"
#include "arenaplan/lowering.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/onnx.h"
#include "arenaplan/schedule.h"

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
// The files a command with these options reads (`model`, more models, --pools): never outputs.
std::vector<std::string> input_files(const std::string& model, const PoolArgs& args);

struct PoolPlanRun {
  std::string model;
  std::string format;  // text | json
  std::string output;  // plan JSON file, or ""
  std::string map;     // --map FILE.svg|FILE.html|-, or ""
  bool timing = true;
  bool verbose = false;  // the full buffer table, whatever the model's size
  LoweringOptions lowering;
  SolveOptions solving;
  OnnxOptions onnx;  // --dim
};

// `arenaplan plan` with pools: one model, or several sharing a workspace pool.
int run_pool_plan(const PoolPlanRun& run, const PoolArgs& args, const InputLimits& limits);

// One model read, put in its operator order (--schedule) and planned into its pools: what
// `compile` and `run` start with.
struct ModelFileRun {
  std::string model;
  OnnxOptions onnx;      // --dim
  std::string schedule;  // --schedule file|memory; empty: by kernel profile
  LoweringOptions lowering;
  bool io_outside_pool = false;
  SolveOptions solving;
};
struct PlannedModelFile {
  Graph file_graph;          // as read
  ScheduleResult schedule;   // schedule.graph: the graph planned
  LoweringOptions lowering;  // as planned: the run's, with io_in_arena from io_outside_pool
  PooledModel pooled;
};
// The order is chosen with the run's lowering as given, before io_outside_pool applies.
PlannedModelFile plan_model_file(const ModelFileRun& run, const PoolArgs& pools, const InputLimits& limits);

// Prints the lowering's and the pool assignment's warnings on stderr.
void print_warnings(const PooledModel& pooled);

}  // namespace arenaplan::cli
