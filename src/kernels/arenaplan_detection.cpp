// The `arenaplan` profile's TFLite_Detection_PostProcess (runtime/kernels_detection.c): the rule
// checks what the kernel relies on (shapes, types, options, as TFLite's Prepare and Eval check
// them) and requests its work buffers. Unlike TFLite Micro's kernel (max_detections x boxes
// buffers, src/kernels/reference_detection.cpp) it needs a few per-box arrays: scores are
// dequantized one class at a time and the per-class merge keeps max_detections candidates.
#include <algorithm>

#include <fmt/format.h>

#include "kernels/kernel_ids.h"
#include "kernels/rules.h"

namespace arenaplan::kernels {
namespace {

// A real option (flexbuffer float; an integer is accepted too). Throws naming the operator when
// it is missing.
double real_option(const OperatorView& v, const char* key) {
  const auto& reals = v.op().real_attributes;
  if (const auto it = reals.find(key); it != reals.end()) return it->second;
  if (const auto i = v.op().attribute(key)) return static_cast<double>(*i);
  v.fail(fmt::format("custom option '{}' is missing", key));
}

std::int64_t int_option(const OperatorView& v, const char* key, std::int64_t fallback, std::int64_t lo,
                        std::int64_t hi) {
  const std::int64_t value = v.attribute(key, fallback);
  if (value < lo || value > hi)
    v.fail(fmt::format("custom option '{}' must be in [{}, {}]{}", key, lo, hi,
                       v.op().attributes.contains(key) ? fmt::format(", it is {}", value) : ", it is missing"));
  return value;
}

bool quantized_u8(const Tensor& t) { return t.type == DataType::uint8 && t.quantization.scale.size() == 1; }

std::optional<OperatorMemory> detection(const OperatorView& v) {
  if (v.input_count() != 3 || v.output_count() != 4)
    v.fail("TFLite_Detection_PostProcess needs box encodings, class predictions, anchors and four outputs");
  const Tensor &boxes = v.input(0), &predictions = v.input(1), &anchors = v.input(2);
  if (boxes.shape.size() != 3 || predictions.shape.size() != 3 || anchors.shape.size() != 2)
    v.fail("TFLite_Detection_PostProcess needs 3-D box encodings and class predictions and 2-D anchors");
  const std::int64_t n = v.dim(boxes, 1), stride = v.dim(boxes, 2), with_background = v.dim(predictions, 2);
  if (v.dim(boxes, 0) != 1 || v.dim(predictions, 0) != 1 || v.dim(predictions, 1) != n || v.dim(anchors, 0) != n ||
      v.dim(anchors, 1) != 4 || stride < 4)
    v.fail(
        "TFLite_Detection_PostProcess needs one batch, a class row and an anchor [4] per box, and at least four "
        "box coordinates");
  const bool all_float =
      boxes.type == DataType::float32 && predictions.type == DataType::float32 && anchors.type == DataType::float32;
  const bool all_u8 = quantized_u8(boxes) && quantized_u8(predictions) && quantized_u8(anchors);
  if (!all_float && !all_u8)
    return not_modelled("TFLite_Detection_PostProcess: the kernel takes float32 or per-tensor uint8 inputs");

  const std::int64_t max_detections = int_option(v, "max_detections", -1, 0, 1 << 20);
  const std::int64_t per_detection = int_option(v, "max_classes_per_detection", -1, 1, 1 << 10);
  const std::int64_t per_class = int_option(v, "detections_per_class", 100, 1, 1 << 20);
  const std::int64_t classes = int_option(v, "num_classes", -1, 1, 1 << 20);
  int_option(v, "use_regular_nms", 0, 0, 1);
  if (with_background != classes && with_background != classes + 1)
    v.fail(
        fmt::format("TFLite_Detection_PostProcess has {} class scores per box for num_classes {} (it allows one "
                    "background class)",
                    with_background, classes));
  const double iou = real_option(v, "nms_iou_threshold");
  if (!(iou > 0.0 && iou <= 1.0)) v.fail("custom option 'nms_iou_threshold' must be in (0, 1]");
  real_option(v, "nms_score_threshold");
  for (const char* key : {"y_scale", "x_scale", "h_scale", "w_scale"}) real_option(v, key);

  const std::int64_t rows = max_detections * per_detection;
  const Tensor &out_boxes = v.output(0), &out_classes = v.output(1), &out_scores = v.output(2), &count = v.output(3);
  for (const Tensor* t : {&out_boxes, &out_classes, &out_scores, &count})
    if (t->type != DataType::float32) v.fail("TFLite_Detection_PostProcess's outputs must be float32");
  if (out_boxes.elements() != rows * 4 || out_classes.elements() != rows || out_scores.elements() != rows ||
      count.elements() < 1)
    v.fail(
        fmt::format("TFLite_Detection_PostProcess's outputs must hold max_detections * max_classes_per_detection "
                    "= {} rows (boxes of 4) and a count",
                    rows));
  // The kernel indexes with int32.
  checked_product(v, {n, std::max(stride, with_background), 4});
  if (n * std::max(stride, with_background) > INT32_MAX || rows * 4 > INT32_MAX)
    v.fail("TFLite_Detection_PostProcess is too large for the kernel's 32-bit indices");

  constexpr std::int64_t kWord = 4;
  const std::int64_t merged = max_detections + per_class;
  OperatorMemory m = no_scratch(kernel_function(KernelId::detection_postprocess));
  const auto request = [&](std::initializer_list<std::int64_t> factors, const char* purpose) {
    m.scratch.push_back({checked_product(v, factors), purpose, 0, 0});
  };
  // In the order of ap_detection_scratch; the emitter passes them by index.
  request({n, 4, kWord}, "decoded boxes");
  request({n, kWord}, "scores of one class");
  request({n, kWord}, "boxes by score");
  request({n, kWord}, "merge sort buffer");
  request({n}, "active candidates");
  request({std::max(per_class, max_detections), kWord}, "selected");
  request({std::max(merged, classes), kWord}, "candidates");
  request({std::max(merged, classes), kWord}, "candidate scores");
  request({merged, kWord}, "candidate ranks");
  request({std::max<std::int64_t>(max_detections, 1), kWord}, "best candidates");
  request({std::max<std::int64_t>(max_detections, 1), kWord}, "best scores");
  return m;
}

constexpr std::array<Rule, 1> kDetectionRules{{
    {"TFLite_Detection_PostProcess", "ap_detection_postprocess", detection},
}};

}  // namespace

std::span<const Rule> arenaplan_detection_rules() { return kDetectionRules; }

}  // namespace arenaplan::kernels
