// The uint8 kernels (runtime/kernels_uint8.c, and the uint8 pools and SOFTMAX) and the resize
// kernels (runtime/kernels_resize.c) against values worked out by hand from TFLite's reference
// semantics, every output between guard bytes.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "arenaplan_kernels.h"
#include "guarded.h"

namespace {

using arenaplan::test::Guarded;

constexpr std::int32_t kOne = 1 << 30;  // multiplier 0.5; with shift 1: 1.0

ap_conv_shape square(std::int32_t in, std::int32_t out, std::int32_t filter, std::int32_t stride, std::int32_t dilation,
                     std::int32_t pad) {
  ap_conv_shape s{};
  s.batches = 1;
  s.in_h = s.in_w = in;
  s.in_c = s.out_c = 1;
  s.out_h = s.out_w = out;
  s.filter_h = s.filter_w = filter;
  s.stride_h = s.stride_w = stride;
  s.dilation_h = s.dilation_w = dilation;
  s.pad_h = s.pad_w = pad;
  s.depth_multiplier = 1;
  return s;
}

// Input 129..137 with zero point 128 (1..9), filter 254 253 252 251 with zero point 255 (the top
// of the range: -1 -2 -3 -4), bias 7, x1.0, output zero point 200: 200 + 7 - (37 47 67 77).
TEST(KernelsUint8, Conv2dZeroPointsAtTheTop) {
  const ap_conv_shape s = square(3, 2, 2, 1, 1, 0);
  const std::uint8_t input[9] = {129, 130, 131, 132, 133, 134, 135, 136, 137};
  const std::uint8_t filter[4] = {254, 253, 252, 251};
  const std::int32_t bias[1] = {7};
  ap_quant_u8 q{-128, -255, 200, 0, 255, kOne, 1};
  Guarded<std::uint8_t> out(4);
  ap_conv2d_u8(&s, &q, input, filter, bias, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{170, 160, 140, 130}));
  EXPECT_TRUE(out.guards_intact());
  // Output zero point 0: every value is negative and saturates at 0; act_min above it clamps.
  q.output_offset = 0;
  ap_conv2d_u8(&s, &q, input, filter, nullptr, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{0, 0, 0, 0}));
  q.output_offset = 200;
  q.act_min = 150;
  q.act_max = 165;
  ap_conv2d_u8(&s, &q, input, filter, bias, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{165, 160, 150, 150}));
  EXPECT_TRUE(out.guards_intact());
}

// A 3x3 box filter (zero points 0) over 1..9 with padding 1 on every side: the in-image sums
// 12 21 16 / 27 45 33 / 24 39 28, halved and rounded half away from zero.
TEST(KernelsUint8, Conv2dPaddingOnEverySide) {
  const ap_conv_shape s = square(3, 3, 3, 1, 1, 1);
  const std::uint8_t input[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<std::uint8_t> filter(9, 1);
  ap_quant_u8 q{0, 0, 0, 0, 255, kOne, 0};
  Guarded<std::uint8_t> out(9);
  ap_conv2d_u8(&s, &q, input, filter.data(), nullptr, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{6, 11, 8, 14, 23, 17, 12, 20, 14}));
  EXPECT_TRUE(out.guards_intact());
}

// Stride 2 and dilation 2, a 2x2 filter of ones over 1..25 (5x5): taps two apart.
TEST(KernelsUint8, Conv2dStrideAndDilation) {
  const ap_conv_shape s = square(5, 2, 2, 2, 2, 0);
  std::vector<std::uint8_t> input(25);
  for (std::size_t i = 0; i < input.size(); ++i) input[i] = static_cast<std::uint8_t>(i + 1);
  const std::uint8_t filter[4] = {1, 1, 1, 1};
  ap_quant_u8 q{0, 0, 0, 0, 255, kOne, 1};
  Guarded<std::uint8_t> out(4);
  ap_conv2d_u8(&s, &q, input.data(), filter, nullptr, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{28, 36, 68, 76}));
  EXPECT_TRUE(out.guards_intact());
}

// Depth multiplier 2 on one input channel (filter 1HW2: channel 0 weights 1, channel 1 weights
// -1 through zero point 1, i.e. bytes 2 and 0), input zero point 0 (the bottom of the range).
TEST(KernelsUint8, DepthwiseConv2dMultiplierAndChannels) {
  ap_conv_shape s = square(2, 1, 2, 1, 1, 0);
  s.out_c = 2;
  s.depth_multiplier = 2;
  const std::uint8_t input[4] = {10, 20, 30, 40};
  const std::uint8_t filter[8] = {2, 0, 2, 0, 2, 0, 2, 0};
  const std::int32_t bias[2] = {0, 150};
  ap_quant_u8 q{0, -1, 5, 0, 255, kOne, 1};
  Guarded<std::uint8_t> out(2);
  ap_depthwise_conv2d_u8(&s, &q, input, filter, bias, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{105, 55}));  // 5 + 100, 5 + 150 - 100
  EXPECT_TRUE(out.guards_intact());
}

// Input 130 126 128 (zero point 128: 2 -2 0), weights with zero point 10 (1 2 3 / -3 -2 -1),
// bias 5 and -10, output zero point 100: 100 + (-2 + 5), 100 + (-2 - 10).
TEST(KernelsUint8, FullyConnected) {
  const ap_fc_shape s{1, 3, 2};
  const std::uint8_t input[3] = {130, 126, 128};
  const std::uint8_t weights[6] = {11, 12, 13, 7, 8, 9};
  const std::int32_t bias[2] = {5, -10};
  const ap_quant_u8 q{-128, -10, 100, 0, 255, kOne, 1};
  Guarded<std::uint8_t> out(2);
  ap_fully_connected_u8(&s, &q, input, weights, bias, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{103, 88}));
  EXPECT_TRUE(out.guards_intact());
}

// Zero points 0 and 255 (the extremes); both inputs halved after the 2^20 shift and the sum
// scaled back by 2^-19: (x1 - 0) + (x2 - 255) + 50, saturating at 255, then act_max.
TEST(KernelsUint8, AddZeroPointsAtTheExtremes) {
  ap_add_quant q{20, 0, kOne, 0, -255, kOne, 0, 50, kOne, -18, 0, 255};
  const std::uint8_t a[5] = {0, 10, 200, 255, 255};
  const std::uint8_t b[5] = {255, 250, 255, 0, 255};
  Guarded<std::uint8_t> out(5);
  ap_add_u8(5, &q, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{50, 55, 250, 50, 255}));
  q.act_max = 100;
  ap_add_u8(5, &q, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{50, 55, 100, 50, 100}));
  EXPECT_TRUE(out.guards_intact());
}

// A [2, 3] tensor plus a [3] row (stride 0 along the rows): the same arithmetic per pair.
TEST(KernelsUint8, AddBroadcastsARow) {
  const ap_add_quant q{20, 0, kOne, 0, -255, kOne, 0, 50, kOne, -18, 0, 255};
  const ap_broadcast_params p{{1, 1, 1, 2, 3}, {0, 0, 0, 3, 1}, {0, 0, 0, 0, 1}};
  const std::uint8_t a[6] = {0, 10, 200, 1, 2, 3}, row[3] = {255, 250, 0};
  Guarded<std::uint8_t> out(6);
  ap_add_u8_broadcast(&p, &q, a, row, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{50, 55, 0, 51, 47, 0}));
  EXPECT_TRUE(out.guards_intact());
}

// 2x2 windows, stride 2, padding 1 before: windows of 1, 2, 2 and 4 pixels; 282 / 4 = 70.5
// rounds to 71.
TEST(KernelsUint8, PoolsWithPartialWindows) {
  const ap_pool_shape s{1, 3, 3, 1, 2, 2, 2, 2, 2, 2, 1, 1};
  const std::uint8_t input[9] = {10, 20, 30, 40, 50, 60, 70, 80, 92};
  Guarded<std::uint8_t> out(4);
  ap_average_pool_u8(&s, 0, 255, input, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{10, 25, 55, 71}));
  ap_max_pool_u8(&s, 0, 255, input, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{10, 30, 70, 92}));
  ap_max_pool_u8(&s, 20, 60, input, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{20, 30, 60, 60}));
  EXPECT_TRUE(out.guards_intact());
}

// uint8 SOFTMAX is the int8 one moved by 128 on both sides (TFLite's template with the other
// output minimum); a row of one is 1.0 = 256, clamped to 255 (int8: 127); two equal values 0.5.
TEST(KernelsUint8, SoftmaxIsTheInt8OneShifted) {
  std::mt19937 rng(15);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int row = 0; row < 200; ++row) {
    const std::int32_t depth = 1 + row % 17;
    std::vector<std::uint8_t> in(static_cast<std::size_t>(depth));
    std::vector<std::int8_t> in_s8(in.size()), out_s8(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
      in[i] = static_cast<std::uint8_t>(byte(rng));
      in_s8[i] = static_cast<std::int8_t>(in[i] - 128);
    }
    Guarded<std::uint8_t> out(in.size());
    ap_softmax_u8(1, depth, 1 << 30, 23, -3968, in.data(), out.data());
    ap_softmax_s8(1, depth, 1 << 30, 23, -3968, in_s8.data(), out_s8.data());
    for (std::size_t i = 0; i < in.size(); ++i)
      ASSERT_EQ(static_cast<int>(out.values()[i]), out_s8[i] == 127 && depth == 1 ? 255 : out_s8[i] + 128);
    ASSERT_TRUE(out.guards_intact());
  }
  const std::uint8_t one[1] = {7}, two[2] = {200, 200};
  Guarded<std::uint8_t> out(2);
  ap_softmax_u8(1, 1, 1 << 30, 23, -3968, one, out.data());
  EXPECT_EQ(out.values()[0], 255);
  ap_softmax_u8(1, 2, 1 << 30, 23, -3968, two, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{128, 128}));
}

// Three parts along the last axis: a copy (quantized as the output), one rescaled by 2 with
// bias -20 (input 0.5 / 10 to output 0.25 / 3: 0 2 -> 3 5, saturating at 255 and 0) and one by
// 1/2 (1.5 and 2.5 round half away from zero), in two rows.
TEST(KernelsUint8, ConcatenationRescalesParts) {
  const std::int32_t sizes[3] = {1, 4, 2};
  const ap_concat_params p{2, 1, 3, sizes};
  const ap_concat_part_u8 parts[3] = {{0, 1.0f, 0.0f, 3}, {1, 2.0f, -20.0f, 3}, {1, 0.5f, 0.0f, 3}};
  const std::uint8_t a[2] = {77, 78}, b[8] = {10, 11, 200, 0, 10, 10, 10, 10}, c[4] = {3, 5, 0, 1};
  const void* const inputs[3] = {a, b, c};
  Guarded<std::uint8_t> out(14);
  ap_concatenation_u8(&p, parts, inputs, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{77, 3, 5, 255, 0, 5, 6, 78, 3, 3, 3, 3, 3, 4}));
  EXPECT_TRUE(out.guards_intact());
}

ap_resize_params row(std::int32_t in_w, std::int32_t out_w, bool align, bool half) {
  return ap_resize_params{1, 1, in_w, 1, 1, out_w, align ? 1 : 0, half ? 1 : 0};
}

// One row of two pixels to three and four: align_corners (scale 1/2), plain (scale 1/2, the last
// pixels clamp to the edge) and half_pixel_centers (sample points -1/4, 1/4, 3/4, 5/4).
TEST(KernelsResize, BilinearUint8RowsWithEveryOption) {
  const std::uint8_t edge[2] = {0, 255}, mid[2] = {100, 200};
  Guarded<std::uint8_t> three(3), four(4);
  ap_resize_params p = row(2, 3, true, false);
  ap_resize_bilinear_u8(&p, edge, three.data());
  EXPECT_EQ(three.values(), (std::vector<std::uint8_t>{0, 128, 255}));  // 127.5 + 0.5
  p = row(2, 4, false, false);
  ap_resize_bilinear_u8(&p, edge, four.data());
  EXPECT_EQ(four.values(), (std::vector<std::uint8_t>{0, 128, 255, 255}));
  p = row(2, 4, false, true);
  ap_resize_bilinear_u8(&p, mid, four.data());
  EXPECT_EQ(four.values(), (std::vector<std::uint8_t>{100, 125, 175, 200}));
  EXPECT_TRUE(three.guards_intact());
  EXPECT_TRUE(four.guards_intact());
}

// int8 in TFLite's integer arithmetic: the midpoint of -100 and 50 is -25; of -101 and 50, -25.5,
// rounds away from zero to -26. float32: a 2x2 to 3x3 with align_corners has the means between.
TEST(KernelsResize, BilinearInt8AndFloat) {
  const std::int8_t a[2] = {-100, 50}, b[2] = {-101, 50};
  Guarded<std::int8_t> out(3);
  const ap_resize_params p = row(2, 3, true, false);
  ap_resize_bilinear_s8(&p, a, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{-100, -25, 50}));
  ap_resize_bilinear_s8(&p, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{-101, -26, 50}));
  EXPECT_TRUE(out.guards_intact());
  const float square[4] = {0.0f, 1.0f, 2.0f, 3.0f};
  const ap_resize_params q{1, 2, 2, 1, 3, 3, 1, 0};
  Guarded<float> grid(9);
  ap_resize_bilinear_f32(&q, square, grid.data());
  EXPECT_EQ(grid.values(), (std::vector<float>{0.0f, 0.5f, 1.0f, 1.0f, 1.5f, 2.0f, 2.0f, 2.5f, 3.0f}));
  EXPECT_TRUE(grid.guards_intact());
}

// Nearest neighbour copies whole elements: two int16 pixels of two channels to three with
// align_corners (round(1/2) = 1), plain (floor(2/3 x)) and half_pixel_centers (floor((x + 1/2) 2/3)).
TEST(KernelsResize, NearestNeighbourEveryOption) {
  const std::int16_t in[4] = {-1, 1000, 7, -32768};
  Guarded<std::int16_t> out(6);
  ap_resize_params p{1, 1, 2, 2, 1, 3, 1, 0};
  ap_resize_nearest(&p, 2, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{-1, 1000, 7, -32768, 7, -32768}));
  p.align_corners = 0;
  ap_resize_nearest(&p, 2, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{-1, 1000, -1, 1000, 7, -32768}));
  p.half_pixel_centers = 1;
  ap_resize_nearest(&p, 2, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{-1, 1000, 7, -32768, 7, -32768}));
  EXPECT_TRUE(out.guards_intact());
}

}  // namespace
