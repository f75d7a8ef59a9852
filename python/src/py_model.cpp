// Python: planning a .tflite or .onnx model, returning the plan JSON text that `arenaplan plan --format json` prints.
#include <sstream>

#include <pybind11/stl.h>

#include "arenaplan/error.h"
#include "arenaplan/io.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/onnx.h"
#include "arenaplan/pool_assignment.h"
#include "py_solve_scope.h"
#include "py_types.h"

namespace arenaplan::python {
namespace {

struct ModelArgs {
  std::string path;
  std::vector<std::string> pools;  // pool specs, as --pool
  std::vector<std::string> place;  // PATTERN=POOL, as --place
  LoweringOptions lowering;
  SolveOptions solving;
  bool timing = true;
};

// As `arenaplan plan`: with pools, assignment across them; otherwise one arena.
std::string plan_json(ModelArgs args) {
  const Graph graph = read_model(args.path);
  std::ostringstream json;
  if (!args.pools.empty() || !args.place.empty()) {
    PoolSetup setup;
    for (const std::string& spec : args.pools) setup.pools.push_back(parse_pool_spec(spec, "pools: " + spec));
    check_pool_names(setup.pools, "pools");
    for (const std::string& rule : args.place) setup.place.push_back(parse_place_rule(rule, "place: " + rule));
    setup.where = "pools";
    const PooledModel pooled = plan_model_in_pools(graph, args.lowering, args.solving, setup);
    write_plan_json(pooled.model.lowered.problem, pooled.model.plan, json, args.timing,
                    tensor_aliases(graph, pooled.model.lowered));
  } else {
    const ModelPlan planned = plan_model(graph, args.lowering, args.solving);
    write_plan_json(planned.lowered.problem, planned.plan, json, args.timing, tensor_aliases(graph, planned.lowered));
  }
  return json.str();
}

}  // namespace

void bind_model(py::module_& m) {
  m.def(
      "_plan_model_json",
      [](const std::string& path, std::vector<std::string> pools, std::vector<std::string> place,
         const std::string& kernels, std::optional<std::string> compat, bool io_in_arena, bool persistent_pool,
         bool alias_reshapes, const std::string& algorithm, double time_limit, std::uint64_t seed, bool timing) {
        if (compat && *compat != "tflm") throw InputError("plan_model: compat must be None or 'tflm'");
        ModelArgs args{path, std::move(pools), std::move(place), {}, {}, timing};
        args.lowering.kernels = kernels;
        args.lowering.tflm_compat = compat.has_value();
        args.lowering.io_in_arena = io_in_arena;
        args.lowering.persistent_pool = persistent_pool;
        args.lowering.alias_reshapes = alias_reshapes;
        args.solving.algorithm = algorithm;
        args.solving.time_limit_seconds = time_limit;
        args.solving.seed = seed;
        SolveScope scope(args.solving);
        return plan_json(std::move(args));
      },
      py::arg("path"), py::arg("pools"), py::arg("place"), py::arg("kernels"), py::arg("compat"),
      py::arg("io_in_arena"), py::arg("persistent_pool"), py::arg("alias_reshapes"), py::arg("algorithm"),
      py::arg("time_limit"), py::arg("seed"), py::arg("timing"));
}

}  // namespace arenaplan::python
