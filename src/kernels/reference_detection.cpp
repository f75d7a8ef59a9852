// TFLite_Detection_PostProcess in the `reference` profile: TFLite Micro's Prepare requests all
// its buffers up front, sized by the boxes, the classes and max_detections; Eval uses them in its
// one stage. (TFLite Micro decodes float32 box encodings only; the profile plans the memory of
// the model either way, as for other operators TFLite Micro would refuse at run time.) Sizes as
// in tflite-micro's detection_postprocess.cc read at commit 0b7d9af9, not checked against the
// golden collection's commit 90b983c2; the max_detections x boxes buffers dominate the arena.
#include "kernels/reference_detection.h"

#include <algorithm>

#include "kernels/rules.h"

namespace arenaplan::kernels {

std::optional<OperatorMemory> detection_postprocess(const OperatorView& v) {
  if (v.input_count() != 3 || v.output_count() != 4 || v.input(0).shape.size() != 3 || v.input(1).shape.size() != 3 ||
      v.input(2).shape.size() != 2)
    return not_modelled("TFLite_Detection_PostProcess needs 3-D boxes and scores, 2-D anchors and four outputs");
  const std::int64_t max_detections = v.attribute("max_detections", -1);
  const std::int64_t num_classes = v.attribute("num_classes", -1);
  if (max_detections < 0 || num_classes < 0)
    return not_modelled("TFLite_Detection_PostProcess without max_detections and num_classes options");
  constexpr std::int64_t kFloat = 4, kInt = 4, kCoords = 4;
  const std::int64_t boxes = v.dim(v.input(0), 1);
  OperatorMemory m;
  const auto request = [&](std::initializer_list<std::int64_t> factors, const char* purpose) {
    m.scratch.push_back({checked_product(v, factors), purpose, 0, 0});
  };
  request({boxes}, "active candidates");
  request({boxes, kCoords, kFloat}, "decoded boxes");
  request({v.dim(v.input(1), 1), v.dim(v.input(1), 2), kFloat}, "scores");
  request({boxes, kFloat}, "score buffer");
  request({boxes, kFloat}, "keep scores");
  request({max_detections, boxes, kFloat}, "scores after regular NMS");
  request({max_detections, boxes, kFloat}, "sorted values");
  request({boxes, kInt}, "keep indices");
  request({max_detections, boxes, kInt}, "sorted indices");
  request({std::max(num_classes, max_detections), boxes, kInt}, "buffer");
  request({std::min(boxes, max_detections), boxes, kInt}, "selected");
  return m;
}

}  // namespace arenaplan::kernels
