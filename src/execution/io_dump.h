// Raw tensor bytes in and out of `arenaplan run`: input sets read from files (--inputs) and the
// --save-io directory, laid out as TFLite Micro's golden dumps are (set<k>/t<index>.bin, named
// by subgraph tensor index, plus index.json), so that any runtime's tensors can be compared.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "arenaplan/graph.h"
#include "arenaplan/lowering.h"

namespace arenaplan::execution {

using TensorData = std::map<std::int32_t, std::vector<std::uint8_t>>;  // tensor index -> raw bytes

// One input set: `files` holds one raw file per graph input, in graph order; their bytes are
// concatenated. Throws InputError naming the file, the expected and the actual byte count.
std::vector<std::uint8_t> read_input_files(const Graph& graph, const std::vector<std::string>& files);

// The tensors --save-io writes: graph inputs and outputs, and with `traced` every operator output.
std::vector<std::int32_t> saved_tensors(const Graph& graph, bool traced);

// DIR/index.json: every saved tensor (index, name, type, shape, bytes, quantization, producer,
// the tensor whose bytes it reuses) and the input sets.
void write_tensor_index(const std::string& dir, const Graph& graph, const LoweredModel& lowered, bool traced,
                        const std::vector<std::vector<std::string>>& input_files, int sets);

// DIR/set<set>/t<index>.bin for every saved tensor found in `data`.
void write_tensor_set(const std::string& dir, int set, const Graph& graph, bool traced, const TensorData& data);

}  // namespace arenaplan::execution
