// The `arenaplan` profile's detection post-processing custom operators: the rules check what the
// kernels rely on (shapes, types, options, as the operators' Prepare and Eval check them) and
// request their work buffers.
// - TFLite_Detection_PostProcess (runtime/kernels_detection.c). Unlike TFLite Micro's kernel
//   (max_detections x boxes buffers, src/kernels/reference_detection.cpp) it needs a few per-box
//   arrays: scores are dequantized one class at a time and the per-class merge keeps
//   max_detections candidates.
// - PosenetDecoderOp (runtime/kernels_posenet.c). libcoral keeps float copies of its three inputs
//   (330 KB for the 353x481 PoseNet); this kernel dequantizes on the fly and needs the root
//   candidates' heap (an int32 per heatmap value) and the poses.
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

// libcoral's posenet_decoder.h: 17 keypoints, 16 edges each way.
constexpr std::int64_t kPoseKeypoints = 17;
constexpr std::int64_t kPoseEdges = 16;

bool posenet_input_type(const Tensor& t) { return t.type == DataType::float32 || quantized_u8(t); }

std::optional<OperatorMemory> posenet(const OperatorView& v) {
  if (v.input_count() == 4 && v.output_count() == 5)
    return not_modelled("PosenetDecoderOp: the instance-mask variant (long-range offsets) has no kernel");
  if (v.input_count() != 3 || v.output_count() != 4)
    v.fail("PosenetDecoderOp needs heatmaps, short-range and mid-range offsets and four outputs");
  const Tensor &heatmaps = v.input(0), &shorts = v.input(1), &mids = v.input(2);
  for (const Tensor* t : {&heatmaps, &shorts, &mids})
    if (t->shape.size() != 4 || v.dim(*t, 0) != 1) v.fail("PosenetDecoderOp's inputs must be 4-D with one batch");
  const std::int64_t height = v.dim(heatmaps, 1), width = v.dim(heatmaps, 2);
  if (v.dim(heatmaps, 3) != kPoseKeypoints || v.dim(shorts, 3) != 2 * kPoseKeypoints ||
      v.dim(mids, 3) != 4 * kPoseEdges)
    v.fail("PosenetDecoderOp needs 17 heatmap, 34 short-range and 64 mid-range offset channels");
  // libcoral samples all three with the heatmaps' grid; other grids would be read out of bounds.
  if (v.dim(shorts, 1) != height || v.dim(shorts, 2) != width || v.dim(mids, 1) != height || v.dim(mids, 2) != width)
    v.fail("PosenetDecoderOp's offsets must have the heatmaps' height and width");
  if (height < 1 || width < 1) v.fail("PosenetDecoderOp needs a grid of at least one cell");
  if (!posenet_input_type(heatmaps) || !posenet_input_type(shorts) || !posenet_input_type(mids))
    return not_modelled("PosenetDecoderOp: the kernel takes float32 or per-tensor uint8 inputs");
  // The kernel indexes the mid-range offsets with int32.
  if (checked_product(v, {height, width, 4 * kPoseEdges}) > INT32_MAX)
    v.fail("PosenetDecoderOp is too large for the kernel's 32-bit indices");
  const std::int64_t max_detections = int_option(v, "max_detections", -1, 0, 1 << 16);
  int_option(v, "stride", -1, 1, 1 << 16);
  real_option(v, "score_threshold");
  real_option(v, "nms_radius");

  const Tensor &poses = v.output(0), &keypoint_scores = v.output(1), &pose_scores = v.output(2), &count = v.output(3);
  for (const Tensor* t : {&poses, &keypoint_scores, &pose_scores, &count})
    if (t->type != DataType::float32) v.fail("PosenetDecoderOp's outputs must be float32");
  if (poses.elements() != max_detections * kPoseKeypoints * 2 ||
      keypoint_scores.elements() != max_detections * kPoseKeypoints || pose_scores.elements() != max_detections ||
      count.elements() < 1)
    v.fail(fmt::format(
        "PosenetDecoderOp's outputs must hold max_detections = {} poses of 17 (y, x) keypoints, their scores and a "
        "count",
        max_detections));

  constexpr std::int64_t kWord = 4;
  const std::int64_t rows = std::max<std::int64_t>(max_detections, 1);
  // One root and one keypoint per edge at most enter a pose's decoding queue.
  const std::int64_t queue = 1 + 2 * kPoseEdges;
  OperatorMemory m = no_scratch(kernel_function(KernelId::posenet_decoder));
  const auto request = [&](std::initializer_list<std::int64_t> factors, const char* purpose) {
    m.scratch.push_back({checked_product(v, factors), purpose, 0, 0});
  };
  // In the order of ap_posenet_scratch; the emitter passes them by index.
  request({height, width, kPoseKeypoints, kWord}, "root candidates");
  request({queue, kWord}, "decoding queue");
  request({queue, 4 * kWord}, "decoded keypoints");
  request({rows, kPoseKeypoints, 2, kWord}, "poses");
  request({rows, kPoseKeypoints, kWord}, "keypoint scores");
  request({rows, kWord}, "pose scores");
  request({rows, kWord}, "pose order");
  return m;
}

constexpr std::array<Rule, 2> kDetectionRules{{
    {"TFLite_Detection_PostProcess", "ap_detection_postprocess", detection},
    {"PosenetDecoderOp", "ap_posenet_decoder", posenet},
}};

}  // namespace

std::span<const Rule> arenaplan_detection_rules() { return kDetectionRules; }

}  // namespace arenaplan::kernels
