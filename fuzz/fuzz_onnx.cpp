// libFuzzer harness: the ONNX importer (protobuf parsing, ONNX's checker and shape inference,
// folding, the NHWC lowering), then what fuzz_tflite does with the Graph. Constants computed at
// import are capped small, as the fuzzer's memory is.
#include <cstdint>
#include <span>

#include "arenaplan/onnx.h"
#include "fuzz_model.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    arenaplan::OnnxOptions options;
    options.max_folded_bytes = std::int64_t{16} << 20;
    arenaplan::fuzz::plan_every_profile(
        arenaplan::parse_onnx(std::span<const std::uint8_t>(data, size), "fuzz", options));
  } catch (const arenaplan::InputError&) {}
  return 0;
}
