// TFLite_Detection_PostProcess's call. Options are written as TFLite's Init reads them: the
// flexbuffer floats rounded to float (AsFloat), detections_per_class 100 and use_regular_nms off
// when absent. The scratch struct is a compound literal: external pools make its pointers run-time
// values.
#include "emit/c_detection.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "emit/c_call_parts.h"

namespace arenaplan::c_out {

void detection_call(const OperatorView& v, const OperandPointers& p, const std::string& symbol, KernelCall& call) {
  const Tensor &boxes = v.input(0), &predictions = v.input(1), &anchors = v.input(2);
  const bool quantized = boxes.type == DataType::uint8;
  const auto real_option = [&](const char* key) {
    const auto& reals = v.op().real_attributes;
    const auto it = reals.find(key);
    return real(static_cast<float>(it != reals.end() ? it->second : static_cast<double>(v.attribute(key, 0))));
  };
  const auto q_scale = [&](const Tensor& t) { return real(quantized ? scale_of(t) : 1.0f); };
  const auto q_zero = [&](const Tensor& t) -> std::int64_t { return quantized ? zero_point(t) : 0; };
  const std::int64_t max_detections = v.attribute("max_detections", 0);
  const std::int64_t per_detection = v.attribute("max_classes_per_detection", 1);
  call.definitions += initialiser(
      "ap_detection_params", symbol + "params",
      {{"num_boxes", narrow(v, v.dim(boxes, 1), "box count")},
       {"box_stride", narrow(v, v.dim(boxes, 2), "box encoding length")},
       {"num_classes", narrow(v, v.attribute("num_classes", 0), "num_classes")},
       {"classes_with_background", narrow(v, v.dim(predictions, 2), "class count")},
       {"max_detections", narrow(v, max_detections, "max_detections")},
       {"max_classes_per_detection", narrow(v, per_detection, "max_classes_per_detection")},
       {"detections_per_class", narrow(v, v.attribute("detections_per_class", 100), "detections_per_class")},
       {"use_regular_nms", v.attribute("use_regular_nms", 0) != 0 ? 1 : 0},
       {"output_rows", narrow(v, max_detections * per_detection, "output rows")},
       {"score_threshold", real_option("nms_score_threshold")},
       {"iou_threshold", real_option("nms_iou_threshold")},
       {"y_scale", real_option("y_scale")},
       {"x_scale", real_option("x_scale")},
       {"h_scale", real_option("h_scale")},
       {"w_scale", real_option("w_scale")},
       {"quantized", quantized ? 1 : 0},
       {"box_scale", q_scale(boxes)},
       {"score_scale", q_scale(predictions)},
       {"anchor_scale", q_scale(anchors)},
       {"box_zero_point", q_zero(boxes)},
       {"score_zero_point", q_zero(predictions)},
       {"anchor_zero_point", q_zero(anchors)}});
  static constexpr const char* kScratchTypes[] = {"float",   "float", "int32_t", "int32_t", "uint8_t", "int32_t",
                                                  "int32_t", "float", "int32_t", "int32_t", "float"};
  std::vector<std::string> scratch;
  for (std::size_t i = 0; i < std::size(kScratchTypes); ++i)
    scratch.push_back(typed(kScratchTypes[i], p.scratch.at(i)));
  const auto input = [&](std::size_t i) { return fmt::format("(const void*)({})", p.inputs.at(i)); };
  const auto output = [&](std::size_t i) { return typed("float", p.outputs.at(i)); };
  const std::vector<std::string> operands = {input(0), input(1), input(2), output(0), output(1), output(2), output(3)};
  call.statement = fmt::format(
      "{{\n    const ap_detection_scratch scratch = {{\n        {}}};\n    ap_detection_postprocess(&{}params, "
      "&scratch,\n        {});\n  }}",
      fmt::join(scratch, ",\n        "), symbol, fmt::join(operands, ",\n        "));
}

}  // namespace arenaplan::c_out
