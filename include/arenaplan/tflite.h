// Importing TensorFlow Lite flatbuffers (.tflite) into a Graph.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "arenaplan/graph.h"
#include "arenaplan/limits.h"

namespace arenaplan {

// Reads and imports a .tflite file. Every file is checked by the flatbuffer verifier before it
// is read. Throws InputError ("FILE: problem") for files that cannot be read, are not valid
// TFLite flatbuffers, have more than one subgraph, dynamic shapes or absurd sizes.
// The file is held to limits.max_file_bytes.
Graph read_tflite(const std::string& path, const InputLimits& limits = {});

// The same, from bytes in memory; `source` names them in messages.
Graph parse_tflite(std::span<const std::uint8_t> bytes, std::string_view source);

}  // namespace arenaplan
