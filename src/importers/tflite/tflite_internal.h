// Shared between the TFLite importer's files; includes the generated schema header.
#pragma once

#include <span>
#include <string_view>

#include "arenaplan/graph.h"
#include "tflite/schema_generated.h"

namespace arenaplan::tflite_import {

// The model in `bytes` after the flatbuffer verifier accepted it (and the identifier, size checks);
// bad input is an InputError naming `source`. Every reader of .tflite bytes goes through it.
const tflite::Model& verified_model(std::span<const std::uint8_t> bytes, std::string_view source);

// Copies the builtin options an operator carries into Operator::attributes.
void read_builtin_options(const tflite::Operator& op, Operator& out);

// Decodes flexbuffer custom options (a map) into integer attributes; options that are not a
// valid flexbuffer map are left alone (they are opaque to the planner).
void read_custom_options(std::span<const std::uint8_t> bytes, Operator& out);

// TFLite_Detection_PostProcess and PosenetDecoderOp outputs stored without a shape (their Prepare
// sizes them) get the shapes Prepare gives them, float32: boxes [1, N, 4], classes and scores
// [1, N], count [1] with N = max_detections * max_classes_per_detection; poses [1, M, 17, 2],
// keypoint scores [1, M, 17], pose scores [1, M], count [1] with M = max_detections.
void complete_detection_outputs(Graph& graph);

// Static shapes once the dynamic graph inputs have theirs (tflite_shapes.cpp): `dynamic` marks
// the tensors whose shape_signature is dynamic; SHAPE-derived integer computations become
// constants (their operators are removed) and the other marked tensors get their operator's
// output shape. Returns the tensors still dynamic. Throws InputError for what it cannot work out.
std::vector<bool> fold_dynamic_shapes(Graph& graph, std::vector<bool> dynamic);

}  // namespace arenaplan::tflite_import
