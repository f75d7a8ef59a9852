// Importing ONNX models (.onnx) into the same Graph as .tflite files (docs/onnx.md): shapes from
// ONNX shape inference, constants folded, NCHW mapped onto the kernels' NHWC operators.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arenaplan/graph.h"
#include "arenaplan/limits.h"

namespace arenaplan {

struct OnnxOptions {
  // Values of symbolic dimensions (dim_param) by name; any other symbolic dimension is planned as 1.
  std::map<std::string, std::int64_t, std::less<>> dims;
  // Constants computed at import (ConstantOfShape, folded arithmetic) may hold at most this many
  // bytes in all; beyond, the model is refused (a tiny file can ask for a huge ConstantOfShape).
  std::int64_t max_folded_bytes = std::int64_t{1} << 30;
  // TFLite models (read_model): shapes of dynamic graph inputs by tensor name (TfliteOptions).
  std::map<std::string, std::vector<std::int64_t>, std::less<>> input_shapes;
};

// Reads and imports a .onnx file. Throws InputError ("FILE: problem") for files that are not valid
// ONNX protobufs, use external data, operators or attributes without a mapping, or shapes that stay
// dynamic after shape inference. The file is held to limits.max_file_bytes.
Graph read_onnx(const std::string& path, const InputLimits& limits = {}, const OnnxOptions& options = {});

// The same, from bytes in memory; `source` names them in messages.
Graph parse_onnx(std::span<const std::uint8_t> bytes, std::string_view source, const OnnxOptions& options = {});

// A model file of either format, told apart by content (a TFLite flatbuffer carries 'TFL3' at
// byte 4; anything else is read as ONNX).
Graph read_model(const std::string& path, const InputLimits& limits = {}, const OnnxOptions& options = {});

}  // namespace arenaplan
