// The shapes TFLite's detection_postprocess.cc Prepare gives its outputs, for models that store
// them as unknown (rank 0, as TFLite's converter writes them for the SSD models); without them the
// planner would size four float outputs at one element each.
#include "importers/tflite/tflite_internal.h"

namespace arenaplan::tflite_import {

void complete_detection_outputs(Graph& graph) {
  for (const Operator& op : graph.operators) {
    if (!op.custom || op.opcode != "TFLite_Detection_PostProcess" || op.outputs.size() != 4) continue;
    const std::int64_t detections = op.attribute_or("max_detections", -1);
    const std::int64_t classes = op.attribute_or("max_classes_per_detection", -1);
    if (detections < 0 || classes < 0 || detections > INT32_MAX / 4 || classes > INT32_MAX / 4 ||
        detections * classes > INT32_MAX / 4)
      continue;  // the kernel rules refuse such options, naming the operator
    const std::int64_t rows = detections * classes;
    const std::vector<std::vector<std::int64_t>> shapes = {{1, rows, 4}, {1, rows}, {1, rows}, {1}};
    for (std::size_t i = 0; i < 4; ++i) {
      if (op.outputs[i] < 0) continue;
      Tensor& t = graph.tensors[static_cast<std::size_t>(op.outputs[i])];
      if (!t.shape.empty() || t.is_constant) continue;
      t.shape = shapes[i];
      t.type = DataType::float32;
      t.bytes = t.elements() * 4;
    }
  }
}

}  // namespace arenaplan::tflite_import
