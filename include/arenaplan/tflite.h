// Importing TensorFlow Lite flatbuffers (.tflite) into a Graph.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arenaplan/graph.h"
#include "arenaplan/limits.h"

namespace arenaplan {

struct TfliteOptions {
  // Shapes for graph inputs with dynamic dimensions (shape_signature -1), by tensor name
  // (`--dim input_1=1x64x64x3`). With them, SHAPE-derived computations are folded at import.
  std::map<std::string, std::vector<std::int64_t>, std::less<>> input_shapes;
};

// Reads and imports a .tflite file. Every file is checked by the flatbuffer verifier before it
// is read. Throws InputError ("FILE: problem") for files that cannot be read, are not valid
// TFLite flatbuffers, have more than one subgraph, dynamic shapes or absurd sizes.
// The file is held to limits.max_file_bytes.
Graph read_tflite(const std::string& path, const InputLimits& limits = {}, const TfliteOptions& options = {});

// The same, from bytes in memory; `source` names them in messages.
Graph parse_tflite(std::span<const std::uint8_t> bytes, std::string_view source, const TfliteOptions& options = {});
// The same, from a file's content read as text (copied to aligned memory first).
Graph parse_tflite_content(const std::string& content, std::string_view source, const TfliteOptions& options = {});

// TFLite Micro's offline plan (model_planning: tflm_offline_plan.h): the model's bytes with an
// `OfflineMemoryAllocation` metadata entry holding [version 0, subgraph 0, number of tensors, offsets...]; an existing
// entry of that name is replaced. Everything else in the model is carried over unchanged (the flatbuffer is
// re-serialised).
std::string add_tflm_offline_plan(std::span<const std::uint8_t> model, std::string_view source,
                                  const std::vector<std::int32_t>& offsets);

// The offsets of a model's `OfflineMemoryAllocation` metadata, if it has one. Throws InputError
// when the entry is malformed.
std::optional<std::vector<std::int32_t>> read_tflm_offline_plan(std::span<const std::uint8_t> model,
                                                                std::string_view source);

}  // namespace arenaplan
