// The detection post-processing calls. Options are written as the operators' Init reads them: the
// flexbuffer floats rounded to float (AsFloat); TFLite_Detection_PostProcess's
// detections_per_class 100 and use_regular_nms off when absent. The scratch struct is a compound
// literal: external pools make its pointers run-time values.
#include "emit/c_detection.h"

#include <cmath>
#include <span>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "emit/c_call_parts.h"

namespace arenaplan::c_out {
namespace {

// A flexbuffer real option as the operator's Init reads it (AsFloat; an integer converts).
float float_option(const OperatorView& v, const char* key) {
  const auto& reals = v.op().real_attributes;
  const auto it = reals.find(key);
  return static_cast<float>(it != reals.end() ? it->second : static_cast<double>(v.attribute(key, 0)));
}

// `name(scratch..., operands...)` with the scratch pointers in a compound literal of `scratch_type`.
std::string call_with_scratch(const std::string& function, const std::string& params, const char* scratch_type,
                              std::span<const char* const> scratch_types, const OperandPointers& p,
                              const std::vector<std::string>& operands) {
  std::vector<std::string> scratch;
  for (std::size_t i = 0; i < scratch_types.size(); ++i) scratch.push_back(typed(scratch_types[i], p.scratch.at(i)));
  return fmt::format("{{\n    const {} scratch = {{\n        {}}};\n    {}(&{},\n        &scratch,\n        {});\n  }}",
                     scratch_type, fmt::join(scratch, ",\n        "), function, params,
                     fmt::join(operands, ",\n        "));
}

}  // namespace

void detection_call(const OperatorView& v, const OperandPointers& p, const std::string& symbol, KernelCall& call) {
  const Tensor &boxes = v.input(0), &predictions = v.input(1), &anchors = v.input(2);
  const bool quantized = boxes.type == DataType::uint8;
  const auto real_option = [&](const char* key) { return real(float_option(v, key)); };
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
  const auto input = [&](std::size_t i) { return fmt::format("(const void*)({})", p.inputs.at(i)); };
  const auto output = [&](std::size_t i) { return typed("float", p.outputs.at(i)); };
  call.statement =
      call_with_scratch("ap_detection_postprocess", symbol + "params", "ap_detection_scratch", kScratchTypes, p,
                        {input(0), input(1), input(2), output(0), output(1), output(2), output(3)});
}

// libcoral's Eval: the offsets dequantized with scale * (float)(1.0 / stride), the NMS radius
// nms_radius / stride in the grid's units, the score threshold as a logit (Logodds, in double).
void posenet_call(const OperatorView& v, const OperandPointers& p, const std::string& symbol, KernelCall& call) {
  const std::int32_t stride = narrow(v, v.attribute("stride", 1), "stride");
  const float threshold = float_option(v, "score_threshold");
  const float radius = float_option(v, "nms_radius") / static_cast<float>(stride);
  const auto logit = static_cast<float>(-std::log(1.0 / (static_cast<double>(threshold) + 1e-6) - 1.0));
  const auto input = [&](const Tensor& t, float extra_scale) {
    const bool quantized = t.type == DataType::uint8;
    return fmt::format("{{.quantized = {}, .scale = {}, .zero_point = {}}}", quantized ? 1 : 0,
                       real(quantized ? scale_of(t) * extra_scale : extra_scale), quantized ? zero_point(t) : 0);
  };
  const auto offset_scale = static_cast<float>(1.0 / stride);
  call.definitions += initialiser("ap_posenet_params", symbol + "params",
                                  {{"height", narrow(v, v.dim(v.input(0), 1), "height")},
                                   {"width", narrow(v, v.dim(v.input(0), 2), "width")},
                                   {"max_detections", narrow(v, v.attribute("max_detections", 0), "max_detections")},
                                   {"stride", stride},
                                   {"score_threshold", real(threshold)},
                                   {"min_score_logit", real(logit)},
                                   {"squared_nms_radius", real(radius * radius)},
                                   {"heatmaps", input(v.input(0), 1.0f)},
                                   {"short_offsets", input(v.input(1), offset_scale)},
                                   {"mid_offsets", input(v.input(2), offset_scale)}});
  static constexpr const char* kScratchTypes[] = {"int32_t", "int32_t", "ap_posenet_keypoint", "float", "float",
                                                  "float",   "int32_t"};
  const auto input_pointer = [&](std::size_t i) { return fmt::format("(const void*)({})", p.inputs.at(i)); };
  const auto output = [&](std::size_t i) { return typed("float", p.outputs.at(i)); };
  call.statement = call_with_scratch(
      "ap_posenet_decoder", symbol + "params", "ap_posenet_scratch", kScratchTypes, p,
      {input_pointer(0), input_pointer(1), input_pointer(2), output(0), output(1), output(2), output(3)});
}

}  // namespace arenaplan::c_out
