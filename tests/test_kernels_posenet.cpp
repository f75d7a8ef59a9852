// PosenetDecoderOp (runtime/kernels_posenet.c) against values worked out by hand from libcoral's
// posenet_decoder.cc: one-cell poses, mid-range offsets moving a child (with bilinear sampling),
// libcoral's channel choice for backward edge 16, the pop order of equal root scores, and two
// pseudo-random uint8 grids whose outputs were computed by a transcription of libcoral's decoder
// (a local oracle, not in this repository; 20,000 random cases agreed byte for byte). Every output
// and every work buffer (sized as ap_posenet_scratch documents) sits between guard bytes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "arenaplan_kernels.h"
#include "guarded.h"

namespace {

using arenaplan::test::Guarded;

constexpr int kKeypoints = 17;

struct Decoder {
  Decoder(int height, int width, int max_detections, int stride, float threshold, float nms_radius)
      : rows(std::max(max_detections, 1)),
        candidates(static_cast<std::size_t>(height * width * kKeypoints)),
        queue(33),
        keypoints(33),
        poses(static_cast<std::size_t>(rows * kKeypoints * 2)),
        keypoint_scores(static_cast<std::size_t>(rows * kKeypoints)),
        pose_scores(static_cast<std::size_t>(rows)),
        order(static_cast<std::size_t>(rows)),
        out_poses(static_cast<std::size_t>(max_detections * kKeypoints * 2)),
        out_keypoint_scores(static_cast<std::size_t>(max_detections * kKeypoints)),
        out_pose_scores(static_cast<std::size_t>(max_detections)),
        count(1) {
    p.height = height;
    p.width = width;
    p.max_detections = max_detections;
    p.stride = stride;
    p.score_threshold = threshold;
    p.min_score_logit = static_cast<float>(-std::log(1.0 / (static_cast<double>(threshold) + 1e-6) - 1.0));
    const float r = nms_radius / static_cast<float>(stride);
    p.squared_nms_radius = r * r;
    // Float inputs: the heatmaps as they are, the offsets in pixels (divided by the stride).
    p.heatmaps = {0, 1.0f, 0};
    p.short_offsets = p.mid_offsets = {0, static_cast<float>(1.0 / stride), 0};
  }
  void run(const void* heat, const void* shorts, const void* mids) {
    const ap_posenet_scratch s = {candidates.data(),      queue.data(),       keypoints.data(), poses.data(),
                                  keypoint_scores.data(), pose_scores.data(), order.data()};
    ap_posenet_decoder(&p, &s, heat, shorts, mids, out_poses.data(), out_keypoint_scores.data(), out_pose_scores.data(),
                       count.data());
  }
  bool intact() const {
    return candidates.guards_intact() && queue.guards_intact() && keypoints.guards_intact() && poses.guards_intact() &&
           keypoint_scores.guards_intact() && pose_scores.guards_intact() && order.guards_intact() &&
           out_poses.guards_intact() && out_keypoint_scores.guards_intact() && out_pose_scores.guards_intact() &&
           count.guards_intact();
  }
  // Keypoint k of output pose i: (y, x) in pixels.
  std::pair<float, float> at(int i, int k) {
    const std::vector<float> v = out_poses.values();
    return {v[static_cast<std::size_t>((i * kKeypoints + k) * 2)],
            v[static_cast<std::size_t>((i * kKeypoints + k) * 2 + 1)]};
  }

  ap_posenet_params p{};
  int rows;
  Guarded<std::int32_t> candidates, queue;
  Guarded<ap_posenet_keypoint> keypoints;
  Guarded<float> poses, keypoint_scores, pose_scores;
  Guarded<std::int32_t> order;
  Guarded<float> out_poses, out_keypoint_scores, out_pose_scores, count;
};

// Float grids of the operator's three inputs, all zero unless set.
struct Grids {
  Grids(int h, int w)
      : width(w),
        heat(static_cast<std::size_t>(h * w * kKeypoints)),
        shorts(static_cast<std::size_t>(h * w * 2 * kKeypoints)),
        mids(static_cast<std::size_t>(h * w * 64)) {}
  float& heat_at(int y, int x, int k) { return heat[static_cast<std::size_t>((y * width + x) * kKeypoints + k)]; }
  float& mid_at(int y, int x, int c) { return mids[static_cast<std::size_t>((y * width + x) * 64 + c)]; }
  int width;
  std::vector<float> heat, shorts, mids;
};

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// One cell, every logit 0: all 17 keypoints are root candidates; the first decodes a pose of 17
// keypoints at (0, 0) with score sigmoid(0) = 0.5 each; every later root lies at distance 0 of
// its keypoint in that pose (radius 0 suppresses distance 0), so one pose. Rows 1 and 2 are zero.
TEST(KernelsPosenet, OneCellOnePose) {
  Decoder d(1, 1, 3, 16, 0.3f, 0.0f);
  Grids g(1, 1);
  d.run(g.heat.data(), g.shorts.data(), g.mids.data());
  EXPECT_EQ(d.count.values()[0], 1.0f);
  const std::vector<float> scores = d.out_keypoint_scores.values();
  for (int k = 0; k < kKeypoints; ++k) EXPECT_EQ(scores[static_cast<std::size_t>(k)], 0.5f) << k;
  for (std::size_t k = kKeypoints; k < scores.size(); ++k) EXPECT_EQ(scores[k], 0.0f) << k;
  EXPECT_EQ(d.out_pose_scores.values(), (std::vector<float>{0.5f, 0.0f, 0.0f}));
  for (const float v : d.out_poses.values()) EXPECT_EQ(v, 0.0f);
  EXPECT_TRUE(d.intact());
}

// A 1 x 8 grid, stride 2: the nose's logit 4 at x = 1 is the only candidate (threshold 0.05, a
// logit of -2.944; every other logit is -10, the left eye's -4 at x = 3). The mid-range offset of
// edge 0 (nose -> left eye, channels 0 = y and 16 = x) at the nose's cell is 5 pixels = 2.5 cells:
// the left eye lands at x = 3.5, its score sampled halfway between -4 and -10 = sigmoid(-7); the
// left ear follows the left eye (edge 1, no offset); every other keypoint stays on the nose.
TEST(KernelsPosenet, MidRangeOffsetPlacesTheChildBilinearly) {
  Decoder d(1, 8, 2, 2, 0.05f, 0.0f);
  Grids g(1, 8);
  for (float& v : g.heat) v = -10.0f;
  g.heat_at(0, 1, 0) = 4.0f;
  g.heat_at(0, 3, 1) = -4.0f;
  g.mid_at(0, 1, 16) = 5.0f;
  d.run(g.heat.data(), g.shorts.data(), g.mids.data());
  ASSERT_EQ(d.count.values()[0], 1.0f);
  EXPECT_EQ(d.at(0, 0), std::make_pair(0.0f, 2.0f));  // nose: x = 1 cell = 2 pixels
  EXPECT_EQ(d.at(0, 1), std::make_pair(0.0f, 7.0f));  // left eye: 3.5 cells
  EXPECT_EQ(d.at(0, 3), std::make_pair(0.0f, 7.0f));  // left ear, from the left eye
  for (const int k : {2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    EXPECT_EQ(d.at(0, k), std::make_pair(0.0f, 2.0f)) << k;
  const std::vector<float> scores = d.out_keypoint_scores.values();
  EXPECT_NEAR(scores[0], sigmoid(4.0), 1e-7);
  EXPECT_NEAR(scores[1], sigmoid(-7.0), 1e-9);
  EXPECT_NEAR(scores[3], sigmoid(-10.0), 1e-10);
  EXPECT_NEAR(d.out_pose_scores.values()[0], (sigmoid(4.0) + sigmoid(-7.0) + 15 * sigmoid(-10.0)) / 17, 1e-7);
  EXPECT_EQ(d.out_pose_scores.values()[1], 0.0f);
  EXPECT_TRUE(d.intact());
}

// A root at the left eye (x = 4 of 1 x 8): its children are the left ear (edge 1) and the nose
// (backward edge 16). libcoral shifts backward edges to their block only for edge > 16, so edge 16
// reads its offsets from channels 16 and 32 (not 32 and 48): the nose moves by channel 32's -2
// cells, not by channel 48's +1.
TEST(KernelsPosenet, BackwardEdgeSixteenReadsLibcoralsChannels) {
  Decoder d(1, 8, 1, 1, 0.05f, 0.0f);
  Grids g(1, 8);
  for (float& v : g.heat) v = -10.0f;
  g.heat_at(0, 4, 1) = 3.0f;
  g.mid_at(0, 4, 32) = -2.0f;
  g.mid_at(0, 4, 48) = 1.0f;
  d.run(g.heat.data(), g.shorts.data(), g.mids.data());
  ASSERT_EQ(d.count.values()[0], 1.0f);
  EXPECT_EQ(d.at(0, 1), std::make_pair(0.0f, 4.0f));
  EXPECT_EQ(d.at(0, 0), std::make_pair(0.0f, 2.0f));
  EXPECT_TRUE(d.intact());
}

// Four equal nose logits at x = 0, 2, 4, 6 of 1 x 7 (pushed in that order): std::priority_queue
// (libstdc++'s binary heap) pops them as x = 0, 4, 2, 6, and the four poses tie on score, so the
// output keeps that order (libstdc++'s sort of four is an insertion sort: equal ones stay).
TEST(KernelsPosenet, EqualRootsPopInLibstdcxxHeapOrder) {
  Decoder d(1, 7, 4, 2, 0.02f, 1.0f);
  Grids g(1, 7);
  for (float& v : g.heat) v = -10.0f;
  for (const int x : {0, 2, 4, 6}) g.heat_at(0, x, 0) = 1.0f;
  d.run(g.heat.data(), g.shorts.data(), g.mids.data());
  ASSERT_EQ(d.count.values()[0], 4.0f);
  EXPECT_EQ(d.at(0, 0).second, 0.0f);
  EXPECT_EQ(d.at(1, 0).second, 8.0f);
  EXPECT_EQ(d.at(2, 0).second, 4.0f);
  EXPECT_EQ(d.at(3, 0).second, 12.0f);
  EXPECT_TRUE(d.intact());
}

// Pseudo-random uint8 inputs (few heatmap levels, so equal scores abound) for a grid of
// height x width, and the FNV-1a hash of the four outputs' bytes.
std::uint64_t random_case(int height, int width, int max_detections, std::uint32_t seed, float* count) {
  std::uint32_t state = seed;
  const auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return state >> 24;
  };
  Decoder d(height, width, max_detections, 16, 0.2f, 10.0f);
  d.p.heatmaps = {1, 0.25f, 128};
  d.p.short_offsets = {1, 0.5f * static_cast<float>(1.0 / 16), 128};
  d.p.mid_offsets = {1, 1.5f * static_cast<float>(1.0 / 16), 120};
  const auto cells = static_cast<std::size_t>(height * width);
  std::vector<std::uint8_t> heat(cells * kKeypoints), shorts(cells * 34), mids(cells * 64);
  for (std::uint8_t& v : heat) v = static_cast<std::uint8_t>(128 + 4 * (static_cast<int>(next() % 5) - 2));
  for (std::uint8_t& v : shorts) v = static_cast<std::uint8_t>(next());
  for (std::uint8_t& v : mids) v = static_cast<std::uint8_t>(next());
  d.run(heat.data(), shorts.data(), mids.data());
  EXPECT_TRUE(d.intact());
  std::uint64_t h = 1469598103934665603ull;
  const auto mix = [&](Guarded<float>& out) {
    const std::vector<float> v = out.values();
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(v.data());
    for (std::size_t i = 0; i < v.size() * sizeof(float); ++i) h = (h ^ bytes[i]) * 1099511628211ull;
  };
  mix(d.out_poses);
  mix(d.out_keypoint_scores);
  mix(d.out_pose_scores);
  mix(d.count);
  *count = d.count.values()[0];
  return h;
}

// The hashes of the transcription of libcoral's decoder (DequantizeTensor, then DecodeAllPoses
// with 5 refinement steps) on the same inputs; 20 detections, so the pose sort is std::sort's
// introsort, not only its insertion sort: with a stable sort instead, the first grid's poses come
// out in another order (seed 45 was chosen for that).
TEST(KernelsPosenet, Uint8GridsEqualLibcoral) {
  float count = 0;
  EXPECT_EQ(random_case(9, 11, 20, 45, &count), 0x58f5d4ad6322d25cull);
  EXPECT_EQ(count, 14.0f);
  EXPECT_EQ(random_case(23, 31, 20, 2, &count), 0x6b5eb14e65957ea3ull);
  EXPECT_EQ(count, 19.0f);
}

}  // namespace
