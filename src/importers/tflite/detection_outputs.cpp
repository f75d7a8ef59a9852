// The output shapes the detection post-processing operators' Prepare gives them, for models that
// store them as unknown (rank 0, as TFLite's converter writes them for the SSD and PoseNet
// models); without them the planner would size four float outputs at one element each.
#include <optional>

#include "importers/tflite/tflite_internal.h"

namespace arenaplan::tflite_import {
namespace {

using Shapes = std::vector<std::vector<std::int64_t>>;

// TFLite's detection_postprocess.cc: N = max_detections * max_classes_per_detection rows.
std::optional<Shapes> detection_shapes(const Operator& op) {
  const std::int64_t detections = op.attribute_or("max_detections", -1);
  const std::int64_t classes = op.attribute_or("max_classes_per_detection", -1);
  if (detections < 0 || classes < 0 || detections > INT32_MAX / 4 || classes > INT32_MAX / 4 ||
      detections * classes > INT32_MAX / 4)
    return std::nullopt;  // the kernel rules refuse such options, naming the operator
  const std::int64_t rows = detections * classes;
  return Shapes{{1, rows, 4}, {1, rows}, {1, rows}, {1}};
}

// libcoral's posenet_decoder_op.cc: max_detections poses of 17 (y, x) keypoints.
std::optional<Shapes> posenet_shapes(const Operator& op) {
  const std::int64_t detections = op.attribute_or("max_detections", -1);
  if (detections < 0 || detections > (1 << 16)) return std::nullopt;  // refused by the kernel rules
  return Shapes{{1, detections, 17, 2}, {1, detections, 17}, {1, detections}, {1}};
}

}  // namespace

void complete_detection_outputs(Graph& graph) {
  for (const Operator& op : graph.operators) {
    if (!op.custom || op.outputs.size() != 4) continue;
    std::optional<Shapes> shapes;
    if (op.opcode == "TFLite_Detection_PostProcess")
      shapes = detection_shapes(op);
    else if (op.opcode == "PosenetDecoderOp")
      shapes = posenet_shapes(op);
    if (!shapes) continue;
    for (std::size_t i = 0; i < 4; ++i) {
      if (op.outputs[i] < 0) continue;
      Tensor& t = graph.tensors[static_cast<std::size_t>(op.outputs[i])];
      if (!t.shape.empty() || t.is_constant) continue;
      t.shape = (*shapes)[i];
      t.type = DataType::float32;
      t.bytes = t.elements() * 4;
    }
  }
}

}  // namespace arenaplan::tflite_import
