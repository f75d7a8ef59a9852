// libFuzzer harness: the ONNX importer (protobuf parsing, ONNX's checker and shape inference,
// folding, the NHWC lowering), then planning with every kernel profile and, for the `arenaplan`
// kernels, the generated C. Constants computed at import are capped small, as the fuzzer's memory is.
#include <cstdint>
#include <span>

#include "arenaplan/c_emitter.h"
#include "arenaplan/error.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/onnx.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    arenaplan::OnnxOptions options;
    options.max_folded_bytes = std::int64_t{16} << 20;
    const arenaplan::Graph graph = arenaplan::parse_onnx(std::span<const std::uint8_t>(data, size), "fuzz", options);
    for (const char* kernels : {"reference", "arenaplan"}) {
      arenaplan::LoweringOptions lowering;
      lowering.kernels = kernels;
      arenaplan::SolveOptions solving;
      solving.algorithm = "best_fit_by_first_use";
      try {
        const arenaplan::ModelPlan planned = arenaplan::plan_model(graph, lowering, solving);
        if (lowering.kernels == "arenaplan") {
          arenaplan::CEmitOptions emit;
          emit.operators = true;
          (void)arenaplan::emit_c(graph, planned.lowered, planned.plan, emit);
        }
      } catch (const arenaplan::NoSolution&) {}
    }
  } catch (const arenaplan::InputError&) {}
  return 0;
}
