// arenaplan run MODEL: plan the model as `plan` does (with the `arenaplan` kernels), then prove
// the plan by execution: build the generated C with the host compiler, run it on random and
// constant inputs with poisoned, guarded pools, and compare every operator's output bit for bit
// with the same kernels on separate buffers. Exit 0 when everything matched, 1 otherwise (a
// mismatch, damaged guards, a test program that failed), 2 for bad input or usage (a compiler,
// TMPDIR or directory that cannot be used), 3 only when the host compiler rejects the code.
#include <cstdlib>
#include <iostream>
#include <stdexcept>

#include <fmt/format.h>

#include "arenaplan/error.h"
#include "arenaplan/execution_check.h"
#include "arenaplan/onnx.h"
#include "arenaplan/tflite.h"
#include "cli/commands.h"
#include "cli/model_options.h"
#include "cli/output_options.h"
#include "cli/pool_options.h"
#include "cli/report_text.h"
#include "cli/schedule_option.h"
#include "cli/solve_options.h"

namespace arenaplan::cli {
namespace {

struct RunArgs {
  std::string model;
  bool io_outside_pool = false;
  LoweringOptions lowering;
  OnnxOptions onnx;  // --dim
  SolveOptions solving;
  PoolArgs pools;
  std::string schedule;  // --schedule file|memory; empty: by kernel profile
  ExecutionOptions execution;
  std::string cflags;
  std::string library_cache;  // --library-cache DIR; empty: the user's cache directory
  bool no_library_cache = false;
};

// $XDG_CACHE_HOME/arenaplan, else $HOME/.cache/arenaplan; empty (no cache) when neither is set.
std::string default_library_cache() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && *xdg == '/') return std::string(xdg) + "/arenaplan";
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home == '/') return std::string(home) + "/.cache/arenaplan";
  return {};
}

void print_report(const std::string& model, const Graph& graph, const PooledModel& pooled, const ExecutionReport& r) {
  const Problem& problem = pooled.model.lowered.problem;
  std::cout << fmt::format("model {}\n", model);
  for (std::size_t p = 0; p < problem.pools.size(); ++p)
    std::cout << fmt::format("  pool {:<12} {:<9} {:>10} bytes\n", problem.pools[p].name,
                             to_string(problem.pools[p].kind), pooled.model.plan.pool_sizes[p]);
  std::cout << fmt::format("built: {}\n", r.compile_command);
  std::cout << fmt::format(
      "compared {} input sets x {} planned runs (pools poisoned 0xa5 / 0x5a, {}-byte guards) with separate buffers:\n"
      "  {} operator outputs, {} bytes\n",
      r.input_sets, r.runs / std::max(1, r.input_sets), r.guard_bytes, r.outputs_compared, r.bytes_compared);
  for (const std::string& g : r.guard_failures) std::cout << "GUARD BYTES DAMAGED: " << g << '\n';
  for (const std::string& f : r.run_failures) std::cout << printable_text("RUN FAILED: " + f) << '\n';
  for (const ExecutionMismatch& m : r.mismatches) {
    const std::string where =
        m.op >= 0 ? graph.describe_operator(static_cast<std::size_t>(m.op)) + " output" : "graph output";
    std::cout << fmt::format("MISMATCH ({}, {}): {} '{}' byte {}: planned 0x{:02x}, separate buffers 0x{:02x}\n",
                             m.input_set, m.run, where, m.tensor, m.byte, m.planned, m.separate);
    for (const std::string& b : m.buffers) std::cout << "  " << b << '\n';
  }
  if (r.passed()) std::cout << "all outputs bit-identical, guards intact\n";
}

int run_run(RunArgs args, const InputLimits& limits) {
  const Graph file_graph = read_model(args.model, limits, args.onnx);
  const ScheduleResult schedule = schedule_graph(file_graph, args.schedule, args.lowering);
  const std::vector<Graph> graphs = {schedule.graph};
  const Graph& graph = graphs.front();
  args.lowering.io_in_arena = !args.io_outside_pool;
  ModelPlanOptions options;
  options.lowering = args.lowering;
  options.solving = args.solving;
  options.pools = pool_setup(args.pools, limits);
  const PooledModel pooled = std::move(plan_models(graphs, options).models.front());
  print_warnings(pooled.model.lowered.warnings);
  if (!args.cflags.empty()) {
    args.execution.compiler_flags.clear();
    for (std::size_t at = 0; at < args.cflags.size();) {
      const auto end = std::min(args.cflags.find(' ', at), args.cflags.size());
      if (end > at) args.execution.compiler_flags.push_back(args.cflags.substr(at, end - at));
      at = end + 1;
    }
  }
  if (!args.no_library_cache)
    args.execution.library_cache_dir = args.library_cache.empty() ? default_library_cache() : args.library_cache;
  ExecutionReport report;
  try {
    report = check_by_execution(graph, pooled.model.lowered, pooled.model.plan, args.execution);
  } catch (const CompilerFailed& e) {
    // The one status 3 of `run` (docs/errors.md); bad input and usage (2) go to main's handler.
    const bool kept = !args.execution.work_dir.empty();
    std::cerr << printable_text(fmt::format("arenaplan: run: {}: {}{}", args.model, e.what(),
                                            kept ? "" : " (--keep DIR keeps the work directory)"))
              << '\n';
    return 3;
  }
  print_report(args.model, graph, pooled, report);
  return report.passed() ? 0 : 1;
}

}  // namespace

void add_run_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<RunArgs>();
  args->lowering.kernels = "arenaplan";
  CLI::App* cmd =
      app.add_subcommand("run", "prove a model's plan by running the generated C: planned pools vs separate buffers");
  cmd->add_option("MODEL", args->model, "model: TensorFlow Lite (.tflite) or ONNX (.onnx)")->required();
  add_model_options(cmd, args->onnx);
  add_overlap_flag(cmd, args->lowering);
  add_schedule_option(cmd, args->schedule);
  cmd->add_flag("--io-outside-pool", args->io_outside_pool,
                "inputs and outputs are passed to <name>_run, not mapped into a pool");
  add_solve_options(cmd, args->solving);
  cmd->add_option("--input-seed", args->execution.seed, "seed of the random inputs")->capture_default_str();
  cmd->add_option("--random-inputs", args->execution.random_inputs, "random input sets (a constant one is always run)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000));
  cmd->add_option("--cc", args->execution.compiler, "host C compiler (default: $CC, else cc)");
  cmd->add_option("--cflags", args->cflags, "compiler flags, space-separated (default: -O2)");
  cmd->add_option("--keep", args->execution.work_dir,
                  "build in this directory and keep it (generated code, program, traces)")
      ->check(non_empty_path());
  cmd->add_option("--library-cache", args->library_cache,
                  "keep the compiled kernel library there between runs (default: $XDG_CACHE_HOME/arenaplan, else "
                  "~/.cache/arenaplan)")
      ->check(non_empty_path());
  cmd->add_flag("--no-library-cache", args->no_library_cache, "compile the kernel library every time");
  CLI::Option* save_io =
      cmd->add_option("--save-io", args->execution.save_io_dir,
                      "write each input set and the planned run's outputs there (also as set<k>/t<index>.bin with "
                      "an index.json)")
          ->check(non_empty_path());
  cmd->add_flag("--trace", args->execution.save_trace, "--save-io also writes every operator's output")->needs(save_io);
  cmd->add_option("--inputs", args->execution.input_files,
                  "one input set: a raw file per graph input, in graph order (repeat for more sets; they replace "
                  "the random and constant sets)")
      ->expected(1, -1);
  add_pool_options(cmd, args->pools);
  cmd->callback([&action, args] { action = [args](const InputLimits& limits) { return run_run(*args, limits); }; });
}

}  // namespace arenaplan::cli
