// The 16x8 convolutions (runtime/kernels_conv16x8.c) against values worked out by hand, every
// output between guard bytes.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "arenaplan_kernels.h"
#include "guarded.h"

namespace {

using arenaplan::test::Guarded;

// The 64-bit multiply reduces the multiplier to 16 bits and rounds half up once: 0.5 (2^30, shift
// 0) is x * 2^14 + 2^14 >> 15, so 3 -> 2, -3 -> -1, -5 -> -2; 1.0 (2^30, shift 1) is exact.
TEST(KernelsConv16x8, MultiplyByQuantizedMultiplier64) {
  EXPECT_EQ(ap_multiply_by_quantized_multiplier_s64(3, 1 << 30, 0), 2);
  EXPECT_EQ(ap_multiply_by_quantized_multiplier_s64(-3, 1 << 30, 0), -1);
  EXPECT_EQ(ap_multiply_by_quantized_multiplier_s64(-5, 1 << 30, 0), -2);
  EXPECT_EQ(ap_multiply_by_quantized_multiplier_s64(-123456789, 1 << 30, 1), -123456789);
  // A multiplier at the top of the range reduces to 0x7FFF, not 0x8000.
  EXPECT_EQ(ap_multiply_by_quantized_multiplier_s64(1 << 20, INT32_MAX, 0), 0x7FFF << 5);
  // Outside TFLite's contract (|x| < 2^47, shift <= 7) it saturates x and clamps the shift.
  EXPECT_EQ(ap_multiply_by_quantized_multiplier_s64(INT64_MAX, 1 << 30, 40),
            ap_multiply_by_quantized_multiplier_s64((std::int64_t{1} << 47) - 1, 1 << 30, 7));
}

ap_conv_shape shape(std::int32_t in, std::int32_t out, std::int32_t filter, std::int32_t channels, std::int32_t stride,
                    std::int32_t pad) {
  ap_conv_shape s{};
  s.batches = 1;
  s.in_h = s.in_w = in;
  s.in_c = 1;
  s.out_h = s.out_w = out;
  s.out_c = channels;
  s.filter_h = s.filter_w = filter;
  s.stride_h = s.stride_w = stride;
  s.dilation_h = s.dilation_w = 1;
  s.pad_h = s.pad_w = pad;
  s.depth_multiplier = 1;
  return s;
}

const std::int16_t kImage[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};  // 3x3, one channel

// Channel 0 (filter 1 2 / 3 4, scale 1) and channel 1 (filter -1 0 / 0 -1, bias -1, scale 0.5)
// over the 3x3 image 1..9, VALID: 37 47 67 77 and (-7 -9 -13 -15) / 2 rounded half up.
TEST(KernelsConv16x8, Conv2dTwoChannelsBiasAndClamp) {
  const ap_conv_shape s = shape(3, 2, 2, 2, 1, 0);
  const std::int8_t filter[8] = {1, 2, 3, 4, -1, 0, 0, -1};
  const std::int64_t bias[2] = {0, -1};
  const std::int32_t mult[2] = {1 << 30, 1 << 30}, shift[2] = {1, 0};
  ap_conv_quant q{0, 0, -32768, 32767, mult, shift};
  Guarded<std::int16_t> out(8);
  ap_conv2d_s16(&s, &q, kImage, filter, bias, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{37, -3, 47, -4, 67, -6, 77, -7}));
  q.act_min = -5;
  q.act_max = 50;
  ap_conv2d_s16(&s, &q, kImage, filter, bias, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{37, -3, 47, -4, 50, -5, 50, -5}));
  EXPECT_TRUE(out.guards_intact());
}

// Padding 1 before, stride 2: output (0,0) sees only the image's corner through the filter's
// last tap, (1,1) the whole bottom-right 2x2 block. The result is clamped to int16, but like
// TFLite's a rescaled sum beyond int32 keeps its low 32 bits (2^40 + x -> x).
TEST(KernelsConv16x8, Conv2dPaddingStrideAndSaturation) {
  const ap_conv_shape s = shape(3, 2, 2, 1, 2, 1);
  const std::int8_t filter[4] = {1, 2, 3, 4};
  const std::int32_t mult[1] = {1 << 30}, shift[1] = {1};
  const ap_conv_quant q{0, 0, -32768, 32767, mult, shift};
  Guarded<std::int16_t> out(4);
  ap_conv2d_s16(&s, &q, kImage, filter, nullptr, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{4, 18, 36, 77}));
  const std::int64_t bias[1] = {32700};
  ap_conv2d_s16(&s, &q, kImage, filter, bias, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{32704, 32718, 32736, 32767}));
  const std::int64_t huge[1] = {std::int64_t{1} << 40};
  ap_conv2d_s16(&s, &q, kImage, filter, huge, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{4, 18, 36, 77}));
  EXPECT_TRUE(out.guards_intact());
}

// TRANSPOSE_CONV of 1 2 / 3 4 by the filter 1 2 / 3 4: stride 2 places one scaled filter per
// input element; stride 1 overlaps them (the centre is 4 + 6 + 6 + 4); padding 1 crops the
// stride-2 result to its centre.
TEST(KernelsConv16x8, TransposeConvStridesAndPadding) {
  const std::int16_t in[4] = {1, 2, 3, 4};
  const std::int8_t filter[4] = {1, 2, 3, 4};
  const std::int32_t mult[1] = {1 << 30}, shift[1] = {1};
  const ap_conv_quant q{0, 0, -32768, 32767, mult, shift};
  Guarded<std::int16_t> wide(16);
  ap_conv_shape s = shape(2, 4, 2, 1, 2, 0);
  ap_transpose_conv_s16(&s, &q, in, filter, nullptr, wide.data());
  EXPECT_EQ(wide.values(), (std::vector<std::int16_t>{1, 2, 2, 4, 3, 4, 6, 8, 3, 6, 4, 8, 9, 12, 12, 16}));
  EXPECT_TRUE(wide.guards_intact());
  Guarded<std::int16_t> overlapped(9);
  s = shape(2, 3, 2, 1, 1, 0);
  const std::int64_t bias[1] = {100};
  ap_transpose_conv_s16(&s, &q, in, filter, bias, overlapped.data());
  EXPECT_EQ(overlapped.values(), (std::vector<std::int16_t>{101, 104, 104, 106, 120, 116, 109, 124, 116}));
  EXPECT_TRUE(overlapped.guards_intact());
  Guarded<std::int16_t> cropped(4);
  s = shape(2, 2, 2, 1, 2, 1);
  ap_transpose_conv_s16(&s, &q, in, filter, nullptr, cropped.data());
  EXPECT_EQ(cropped.values(), (std::vector<std::int16_t>{4, 6, 6, 4}));
  EXPECT_TRUE(cropped.guards_intact());
}

}  // namespace
