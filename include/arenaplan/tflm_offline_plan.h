// An offline memory plan for the stock TensorFlow Lite Micro interpreter: arenaplan's offsets for
// the tensors TFLite Micro plans, written into a copy of the model as the `OfflineMemoryAllocation`
// metadata that TFLite Micro's allocator reads (its docs/offline_memory_plan.md).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arenaplan/algorithm.h"
#include "arenaplan/graph.h"

namespace arenaplan {

struct TflmOfflinePlan {
  // Per tensor of subgraph 0: its offset in TFLite Micro's non-persistent arena ("head"), or -1
  // where TFLite Micro places it itself (constants, variables, unused tensors, or every tensor
  // when arenaplan's plan would not beat TFLite Micro's own).
  std::vector<std::int32_t> offsets;
  Bytes tflm_head = 0;               // TFLite Micro's head with its own GreedyMemoryPlanner
  Bytes offline_head = 0;            // the head TFLite Micro uses with `offsets` (its scratch placed around them)
  Bytes scratch_bytes = 0;           // scratch TFLite Micro's kernels request at run time (not in the metadata)
  std::int64_t planned_tensors = 0;  // tensors with an offset
  std::string source;                // which plan the offsets come from ("arenaplan (auto/...)", "tflm", "none")
};

// Plans the graph with TFLite Micro's lifetimes, alignment and the kernel profile's scratch rules
// (`reference` or `cmsis-nn`), with arenaplan's algorithm, then simulates TFLite Micro placing the
// run-time scratch buffers online around the fixed tensor offsets (as its GreedyMemoryPlanner does
// with offline buffers). Falls back to TFLite Micro's own offsets, or to none, whenever they give a
// head no larger. Every plan is checked.
TflmOfflinePlan plan_tflm_offline(const Graph& graph, const std::string& kernels, const SolveOptions& solving);

// The model's bytes with an `OfflineMemoryAllocation` metadata entry holding
// [version 0, subgraph 0, number of tensors, offsets...]; an existing entry of that name is replaced.
// Everything else in the model is carried over unchanged (the flatbuffer is re-serialised).
std::string add_tflm_offline_plan(std::span<const std::uint8_t> model, std::string_view source,
                                  const std::vector<std::int32_t>& offsets);

// The offsets of a model's `OfflineMemoryAllocation` metadata, if it has one. Throws InputError
// when the entry is malformed.
std::optional<std::vector<std::int32_t>> read_tflm_offline_plan(std::span<const std::uint8_t> model,
                                                                std::string_view source);

}  // namespace arenaplan
