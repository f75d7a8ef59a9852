// What the model harnesses (fuzz_tflite, fuzz_onnx) do with an imported Graph: lowering with every
// kernel profile, planning, TFLite Micro's plan, and for the `arenaplan` kernels the generated C.
#pragma once

#include "arenaplan/c_emitter.h"
#include "arenaplan/error.h"
#include "arenaplan/model_planning.h"
#include "emit/c_names.h"

namespace arenaplan::fuzz {

inline void plan_every_profile(const Graph& graph) {
  for (const char* kernels : {"reference", "cmsis-nn", "arenaplan"}) {
    LoweringOptions lowering;
    lowering.kernels = kernels;
    SolveOptions solving;
    solving.algorithm = "best_fit_by_first_use";
    try {
      const ModelPlan planned = plan_model(graph, lowering, solving);
      (void)plan_like_tflm(graph, kernels);
      if (lowering.kernels == "arenaplan") {
        CEmitOptions emit;
        emit.operators = true;
        (void)emit_c(graph, planned.lowered, planned.plan, emit);
        (void)emit_separate_model(graph, planned.lowered, "model");
      }
    } catch (const NoSolution&) {}
  }
}

}  // namespace arenaplan::fuzz
