// libFuzzer harness: the TFLite importer (flatbuffer verifier, graph building, graph and operator
// parameter validation), lowering with every kernel profile, planning, and for the `arenaplan`
// kernels the generated C (operator parameters are computed from the model's shapes, options and
// quantization). A graph that validation accepts must lower, plan and emit with no error but
// InputError or NoSolution. Seeds: the bundled models and fuzz/seeds/tflite (small graphs, valid
// ones and one of each fault validation refuses).
#include <cstdint>
#include <span>

#include "arenaplan/c_emitter.h"
#include "arenaplan/error.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/tflite.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const arenaplan::Graph graph = arenaplan::parse_tflite(std::span<const std::uint8_t>(data, size), "fuzz");
    for (const char* kernels : {"reference", "cmsis-nn", "arenaplan"}) {
      arenaplan::LoweringOptions lowering;
      lowering.kernels = kernels;
      arenaplan::SolveOptions solving;
      solving.algorithm = "best_fit_by_first_use";
      try {
        const arenaplan::ModelPlan planned = arenaplan::plan_model(graph, lowering, solving);
        (void)arenaplan::plan_like_tflm(graph, kernels);
        if (lowering.kernels == "arenaplan") {
          arenaplan::CEmitOptions emit;
          emit.operators = true;
          (void)arenaplan::emit_c(graph, planned.lowered, planned.plan, emit);
          (void)arenaplan::emit_separate_model(graph, planned.lowered, "model");
        }
      } catch (const arenaplan::NoSolution&) {}
    }
  } catch (const arenaplan::InputError&) {}
  return 0;
}
