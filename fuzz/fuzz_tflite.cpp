// libFuzzer harness: the TFLite importer (flatbuffer verifier, graph building, graph and operator
// parameter validation), lowering with every kernel profile, planning, and for the `arenaplan`
// kernels the generated C (operator parameters are computed from the model's shapes, options and
// quantization). A graph that validation accepts must lower, plan and emit with no error but
// InputError or NoSolution. Seeds: the bundled models and fuzz/seeds/tflite (small graphs, valid
// ones and one of each fault validation refuses).
#include <cstdint>
#include <span>

#include "arenaplan/tflite.h"
#include "fuzz_model.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    arenaplan::fuzz::plan_every_profile(arenaplan::parse_tflite(std::span<const std::uint8_t>(data, size), "fuzz"));
  } catch (const arenaplan::InputError&) {}
  return 0;
}
