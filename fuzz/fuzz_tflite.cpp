// libFuzzer harness: the TFLite importer (flatbuffer verifier, graph building), lowering with
// both kernel profiles, and planning.
#include <cstdint>
#include <span>

#include "arenaplan/error.h"
#include "arenaplan/model_planning.h"
#include "arenaplan/tflite.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const arenaplan::Graph graph = arenaplan::parse_tflite(std::span<const std::uint8_t>(data, size), "fuzz");
    for (const char* kernels : {"reference", "cmsis-nn"}) {
      arenaplan::LoweringOptions lowering;
      lowering.kernels = kernels;
      arenaplan::SolveOptions solving;
      solving.algorithm = "best_fit_by_first_use";
      try {
        (void)arenaplan::plan_model(graph, lowering, solving);
        (void)arenaplan::plan_like_tflm(graph, kernels);
      } catch (const arenaplan::NoSolution&) {
      }
    }
  } catch (const arenaplan::InputError&) {
  }
  return 0;
}
