// TFLite_Detection_PostProcess (runtime/kernels_detection.c) against values worked out by hand
// from TFLite's detection_postprocess.cc: box decoding, regular and fast NMS, uint8 inputs, ties.
// Every output and every work buffer (sized as ap_detection_scratch documents) sits between guard
// bytes. test_generic_oracle compares the kernel with TFLite 2.9 itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "arenaplan_kernels.h"
#include "guarded.h"

namespace {

using arenaplan::test::Guarded;

// The work buffers, each exactly as large as arenaplan_kernels.h says.
struct Scratch {
  explicit Scratch(const ap_detection_params& p)
      : boxes(4 * n(p)),
        scores(n(p)),
        order(n(p)),
        merge(n(p)),
        active(n(p)),
        selected(std::max(p.detections_per_class, p.max_detections)),
        candidates(std::max(p.max_detections + p.detections_per_class, p.num_classes)),
        candidate_scores(std::max(p.max_detections + p.detections_per_class, p.num_classes)),
        rank(p.max_detections + p.detections_per_class),
        best(std::max(p.max_detections, 1)),
        best_scores(std::max(p.max_detections, 1)) {}
  static std::size_t n(const ap_detection_params& p) { return static_cast<std::size_t>(p.num_boxes); }
  ap_detection_scratch pointers() {
    return {boxes.data(),      scores.data(),           order.data(), merge.data(), active.data(),     selected.data(),
            candidates.data(), candidate_scores.data(), rank.data(),  best.data(),  best_scores.data()};
  }
  bool intact() const {
    return boxes.guards_intact() && scores.guards_intact() && order.guards_intact() && merge.guards_intact() &&
           active.guards_intact() && selected.guards_intact() && candidates.guards_intact() &&
           candidate_scores.guards_intact() && rank.guards_intact() && best.guards_intact() &&
           best_scores.guards_intact();
  }
  Guarded<float> boxes, scores;
  Guarded<std::int32_t> order, merge;
  Guarded<std::uint8_t> active;
  Guarded<std::int32_t> selected, candidates;
  Guarded<float> candidate_scores;
  Guarded<std::int32_t> rank, best;
  Guarded<float> best_scores;
};

struct Outputs {
  explicit Outputs(int rows) : boxes(4 * static_cast<std::size_t>(rows)), classes(rows), scores(rows), count(1) {}
  bool intact() const {
    return boxes.guards_intact() && classes.guards_intact() && scores.guards_intact() && count.guards_intact();
  }
  Guarded<float> boxes, classes, scores, count;
};

ap_detection_params float_params(int boxes, int classes, int with_background) {
  ap_detection_params p{};
  p.num_boxes = boxes;
  p.box_stride = 4;
  p.num_classes = classes;
  p.classes_with_background = with_background;
  p.detections_per_class = 100;
  p.max_classes_per_detection = 1;
  p.score_threshold = 0.2f;
  p.iou_threshold = 0.5f;
  p.y_scale = p.x_scale = 10.0f;
  p.h_scale = p.w_scale = 5.0f;
  return p;
}

// Four float boxes (scales 10, 10, 5, 5): box 0 = [0, 0, 1, 1]; box 1 is shifted right by 0.1
// (IoU with box 0: 0.9 / 1.1 = 0.82); box 2 = [4, 3, 5, 4] (its y encoding 10 moves the centre
// by one anchor height); box 3 repeats box 0. Scores: background, class 0, class 1.
const float kAnchors[16] = {0.5f, 0.5f, 1, 1, 0.5f, 0.6f, 1, 1, 3.5f, 3.5f, 1, 1, 0.5f, 0.5f, 1, 1};
const float kEncodings[16] = {0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0};
const float kScores[12] = {0.9f, 0.8f, 0.1f, 0.0f, 0.9f, 0.3f, 0.0f, 0.3f, 0.3f, 0.0f, 0.8f, 0.05f};
const std::vector<float> kBox1 = {0.0f, 0.6f - 0.5f, 1.0f, 0.6f + 0.5f};
const std::vector<float> kBox2 = {4.0f, 3.0f, 5.0f, 4.0f};

std::vector<float> row(Outputs& o, int r) {
  const std::vector<float> all = o.boxes.values();
  return {all.begin() + 4 * r, all.begin() + 4 * r + 4};
}

// Regular NMS, two detections per class, three in all. Class 0 (column 1): by score box 1 (0.9),
// then boxes 0 and 3 (0.8, in index order), box 2 (0.3); box 1 suppresses 0 and 3, so boxes 1 and
// 2. Class 1: boxes 1 and 2 (0.3 each, not overlapping). The merge keeps 0.9 and the first two
// 0.3 in candidate order: box 2 class 0, then box 1 class 1.
TEST(KernelsDetection, RegularNmsPerClassThenBestOfAll) {
  ap_detection_params p = float_params(4, 2, 3);
  p.use_regular_nms = 1;
  p.max_detections = 3;
  p.detections_per_class = 2;
  p.output_rows = 3;
  Scratch s(p);
  Outputs o(3);
  const ap_detection_scratch sp = s.pointers();
  ap_detection_postprocess(&p, &sp, kEncodings, kScores, kAnchors, o.boxes.data(), o.classes.data(), o.scores.data(),
                           o.count.data());
  EXPECT_EQ(o.count.values()[0], 3.0f);
  EXPECT_EQ(o.classes.values(), (std::vector<float>{0, 0, 1}));
  EXPECT_EQ(o.scores.values(), (std::vector<float>{0.9f, 0.3f, 0.3f}));
  EXPECT_EQ(row(o, 0), kBox1);
  EXPECT_EQ(row(o, 1), kBox2);
  EXPECT_EQ(row(o, 2), kBox1);
  EXPECT_TRUE(o.intact());
  EXPECT_TRUE(s.intact());
}

// Fast NMS over each box's best class (box 2's tie between its classes goes to class 0): boxes 1
// and 2 survive, each with its two classes by score; with room for three detections, the third
// pair of rows stays zero and the count is 2.
TEST(KernelsDetection, FastNmsTopClassesPerBox) {
  ap_detection_params p = float_params(4, 2, 3);
  p.max_detections = 3;
  p.max_classes_per_detection = 2;
  p.output_rows = 6;
  Scratch s(p);
  Outputs o(6);
  const ap_detection_scratch sp = s.pointers();
  ap_detection_postprocess(&p, &sp, kEncodings, kScores, kAnchors, o.boxes.data(), o.classes.data(), o.scores.data(),
                           o.count.data());
  EXPECT_EQ(o.count.values()[0], 2.0f);
  EXPECT_EQ(o.classes.values(), (std::vector<float>{0, 1, 0, 1, 0, 0}));
  EXPECT_EQ(o.scores.values(), (std::vector<float>{0.9f, 0.3f, 0.3f, 0.3f, 0, 0}));
  EXPECT_EQ(row(o, 0), kBox1);
  EXPECT_EQ(row(o, 1), kBox1);
  EXPECT_EQ(row(o, 3), kBox2);
  EXPECT_EQ(row(o, 4), (std::vector<float>{0, 0, 0, 0}));
  EXPECT_TRUE(o.intact());
  EXPECT_TRUE(s.intact());
}

// uint8, no background class: encodings (q - 128) * 0.1, anchors q * 0.1, scores q / 256. Box 1's
// y encoding 1.0 moves its centre by a tenth of its height (0.6); its score 0.25 equals the
// threshold and is kept (>=). A higher threshold keeps box 0 only; the second row is zero.
TEST(KernelsDetection, Uint8InputsDequantized) {
  ap_detection_params p = float_params(2, 1, 1);
  p.quantized = 1;
  p.box_scale = 0.1f;
  p.box_zero_point = 128;
  p.anchor_scale = 0.1f;
  p.score_scale = 1.0f / 256;
  p.use_regular_nms = 1;
  p.max_detections = 2;
  p.output_rows = 2;
  p.score_threshold = 0.25f;
  const std::uint8_t anchors[8] = {5, 5, 10, 10, 5, 25, 10, 10};
  const std::uint8_t encodings[8] = {128, 128, 128, 128, 138, 128, 128, 128};
  const std::uint8_t scores[2] = {128, 64};
  Scratch s(p);
  Outputs o(2);
  ap_detection_scratch sp = s.pointers();
  ap_detection_postprocess(&p, &sp, encodings, scores, anchors, o.boxes.data(), o.classes.data(), o.scores.data(),
                           o.count.data());
  EXPECT_EQ(o.count.values()[0], 2.0f);
  EXPECT_EQ(o.scores.values(), (std::vector<float>{0.5f, 0.25f}));
  EXPECT_EQ(row(o, 0), (std::vector<float>{0, 0, 1, 1}));
  EXPECT_EQ(row(o, 1), (std::vector<float>{0.6f - 0.5f, 2.0f, 0.6f + 0.5f, 3.0f}));
  p.score_threshold = 0.3f;
  ap_detection_postprocess(&p, &sp, encodings, scores, anchors, o.boxes.data(), o.classes.data(), o.scores.data(),
                           o.count.data());
  EXPECT_EQ(o.count.values()[0], 1.0f);
  EXPECT_EQ(o.scores.values(), (std::vector<float>{0.5f, 0.0f}));
  EXPECT_EQ(row(o, 1), (std::vector<float>{0, 0, 0, 0}));
  EXPECT_TRUE(o.intact());
  EXPECT_TRUE(s.intact());
}

// An anchor of negative height decodes to ymin > ymax, which TFLite refuses to run: no detections.
TEST(KernelsDetection, InvalidBoxGivesNoDetections) {
  ap_detection_params p = float_params(4, 2, 3);
  p.use_regular_nms = 1;
  p.max_detections = 2;
  p.output_rows = 2;
  float anchors[16];
  std::copy(kAnchors, kAnchors + 16, anchors);
  anchors[10] = -1.0f;
  Scratch s(p);
  Outputs o(2);
  const ap_detection_scratch sp = s.pointers();
  ap_detection_postprocess(&p, &sp, kEncodings, kScores, anchors, o.boxes.data(), o.classes.data(), o.scores.data(),
                           o.count.data());
  EXPECT_EQ(o.count.values()[0], 0.0f);
  EXPECT_EQ(o.scores.values(), (std::vector<float>{0, 0}));
  EXPECT_TRUE(o.intact());
  EXPECT_TRUE(s.intact());
}

}  // namespace
