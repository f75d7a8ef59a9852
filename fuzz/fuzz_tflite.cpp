// libFuzzer harness: the TFLite importer (flatbuffer verifier, graph building), lowering with
// every kernel profile, planning, and for the `arenaplan` kernels the generated C (operator
// parameters are computed from the model's shapes, options and quantization).
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
