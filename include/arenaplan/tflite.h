// Importing TensorFlow Lite flatbuffers (.tflite) into a Graph.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "arenaplan/graph.h"

namespace arenaplan {

// Reads and imports a .tflite file. Every file is checked by the flatbuffer verifier before it
// is read. Throws InputError ("FILE: problem") for files that cannot be read, are not valid
// TFLite flatbuffers, have more than one subgraph, dynamic shapes or absurd sizes.
Graph read_tflite(const std::string& path);

// The same, from bytes in memory; `source` names them in messages.
Graph parse_tflite(std::span<const std::uint8_t> bytes, std::string_view source);

}  // namespace arenaplan
