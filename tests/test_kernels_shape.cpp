// The data-movement, reduction and int16 element-wise kernels (runtime/kernels_shape.c,
// runtime/kernels_elementwise.c) against values worked out by hand. Every output sits between
// guard bytes that must stay untouched.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "arenaplan_kernels.h"
#include "emit/quantization.h"
#include "guarded.h"

namespace {

using arenaplan::test::Guarded;

ap_pad_params pad_params(std::int32_t size, std::vector<std::int32_t> shape, std::vector<std::int32_t> before,
                         std::vector<std::int32_t> after) {
  ap_pad_params p{};
  p.element_size = size;
  for (int d = 0; d < AP_MAX_DIMS; ++d) p.in_shape[d] = 1;
  const std::size_t lead = AP_MAX_DIMS - shape.size();
  for (std::size_t d = 0; d < shape.size(); ++d) {
    p.in_shape[lead + d] = shape[d];
    p.before[lead + d] = before[d];
    p.after[lead + d] = after[d];
  }
  return p;
}

// A 2x2 int16 image padded by 1 before and 2 after in rows, 2 before and 1 after in columns:
// the pad value fills every side.
TEST(KernelsShape, PadEverySideInt16) {
  const std::int16_t in[4] = {1, -2, 3, 32767};
  const std::int16_t pad = -7;
  const ap_pad_params p = pad_params(2, {2, 2}, {1, 2}, {2, 1});
  Guarded<std::int16_t> out(5 * 5);
  ap_pad(&p, &pad, in, out.data());
  const std::int16_t P = -7;
  const std::vector<std::int16_t> expected{P, P, P, P,     P,  //
                                           P, P, 1, -2,    P,  //
                                           P, P, 3, 32767, P,  //
                                           P, P, P, P,     P,  //
                                           P, P, P, P,     P};
  EXPECT_EQ(out.values(), expected);
  EXPECT_TRUE(out.guards_intact());
}

TEST(KernelsShape, PadFloatBatchAndChannels) {
  const float in[2] = {1.5f, -2.5f};  // shape [1, 1, 1, 2]
  const float zero = 0.0f;
  const ap_pad_params p = pad_params(4, {1, 1, 1, 2}, {1, 0, 0, 1}, {0, 0, 1, 0});
  Guarded<float> out(2 * 1 * 2 * 3);
  ap_pad(&p, &zero, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{0, 0, 0, 0, 0, 0, 0, 1.5f, -2.5f, 0, 0, 0}));
  EXPECT_TRUE(out.guards_intact());
}

ap_slice_params slice_params(std::int32_t size, std::vector<std::int32_t> shape, std::vector<std::int32_t> start,
                             std::vector<std::int32_t> stride, std::vector<std::int32_t> out_shape) {
  ap_slice_params p{};
  p.element_size = size;
  for (int d = 0; d < AP_MAX_DIMS; ++d) p.in_shape[d] = p.stride[d] = p.out_shape[d] = 1;
  const std::size_t lead = AP_MAX_DIMS - shape.size();
  for (std::size_t d = 0; d < shape.size(); ++d) {
    p.in_shape[lead + d] = shape[d];
    p.start[lead + d] = start[d];
    p.stride[lead + d] = stride[d];
    p.out_shape[lead + d] = out_shape[d];
  }
  return p;
}

// x[3x4] = 0..11; rows 2, 0 (stride -2 from row 2), columns 1 and 3 (stride 2 from 1).
TEST(KernelsShape, StridedSliceNegativeAndPositiveStrides) {
  std::int8_t in[12];
  for (int i = 0; i < 12; ++i) in[i] = static_cast<std::int8_t>(i);
  const ap_slice_params p = slice_params(1, {3, 4}, {2, 1}, {-2, 2}, {2, 2});
  Guarded<std::int8_t> out(4);
  ap_slice(&p, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{9, 11, 1, 3}));
  EXPECT_TRUE(out.guards_intact());
}

TEST(KernelsShape, ConcatenationAndSplitAlongTheMiddleAxis) {
  // a [2, 1, 2] and b [2, 2, 2] (uint8) along axis 1 -> [2, 3, 2].
  const std::uint8_t a[4] = {1, 2, 3, 4};
  const std::uint8_t b[8] = {10, 11, 12, 13, 20, 21, 22, 23};
  const std::int32_t sizes[2] = {1, 2};
  const ap_concat_params p{2, 2, 2, sizes};
  const void* const inputs[2] = {a, b};
  Guarded<std::uint8_t> out(12);
  ap_concatenation(&p, inputs, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{1, 2, 10, 11, 12, 13, 3, 4, 20, 21, 22, 23}));
  EXPECT_TRUE(out.guards_intact());
  // And back.
  Guarded<std::uint8_t> a2(4), b2(8);
  void* const outputs[2] = {a2.data(), b2.data()};
  const std::vector<std::uint8_t> whole = out.values();
  ap_split(&p, whole.data(), outputs);
  EXPECT_EQ(a2.values(), (std::vector<std::uint8_t>(a, a + 4)));
  EXPECT_EQ(b2.values(), (std::vector<std::uint8_t>(b, b + 8)));
  EXPECT_TRUE(a2.guards_intact() && b2.guards_intact());
}

TEST(KernelsShape, GatherRowsWithAnInvalidIndex) {
  // 3 rows of 2 floats; indices 2, 0, 2, 5 (out of range -> zeros), int64.
  const float in[6] = {0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f};
  const std::int64_t indices[4] = {2, 0, 2, 5};
  const ap_gather_params p{1, 3, 4, 8, 1};
  Guarded<float> out(8);
  ap_gather(&p, in, indices, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{4.5f, 5.5f, 0.5f, 1.5f, 4.5f, 5.5f, 0, 0}));
  EXPECT_TRUE(out.guards_intact());
}

TEST(KernelsShape, MeanOverOneAxisInInputOrder) {
  // [2, 3] over axis 1: (1 + 2 + 4) / 3 and (1e8 + 1 - 1e8) / 3: the float sum in input order
  // loses the 1 (1e8 + 1 == 1e8 in float), as TFLite's does.
  const float in[6] = {1.0f, 2.0f, 4.0f, 1e8f, 1.0f, -1e8f};
  ap_reduce_params p{};
  for (int d = 0; d < AP_MAX_DIMS; ++d) p.in_shape[d] = 1;
  p.in_shape[3] = 2;
  p.in_shape[4] = 3;
  p.reduce[4] = 1;
  Guarded<float> out(2);
  ap_mean_f32(&p, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{7.0f / 3.0f, 0.0f}));
  EXPECT_TRUE(out.guards_intact());
}

// Hand-worked SUB int16 with equal scales s: TFLite's parameters for input scales s, s and
// output scale s are input multipliers 0.5 (2^30, shift 0) and an output multiplier
// 2s / (2^15 s) = 2^-14 (2^30, shift -13): the result is x - y, saturated.
TEST(KernelsShape, SubInt16SaturatesAndClamps) {
  ap_add_quant q{};
  q.left_shift = 15;
  q.input1_multiplier = q.input2_multiplier = q.output_multiplier = 1 << 30;
  q.input1_shift = q.input2_shift = 0;
  q.output_shift = -13;
  q.act_min = -32768;
  q.act_max = 32767;
  const std::int16_t a[4] = {100, -32768, 32767, 5};
  const std::int16_t b[4] = {30, 32767, -32768, 5};
  Guarded<std::int16_t> out(4);
  ap_sub_s16(4, &q, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{70, -32768, 32767, 0}));
  q.act_min = 0;  // a fused RELU
  ap_sub_s16(4, &q, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{70, 0, 32767, 0}));
  EXPECT_TRUE(out.guards_intact());
}

// Broadcasting SUB: a [2, 3] minus a [3] row and minus a [2, 1] column, with the multipliers of
// the test above (x - y exactly): every output element pairs the right two inputs.
TEST(KernelsShape, SubInt16BroadcastsRowsAndColumns) {
  ap_add_quant q{};
  q.left_shift = 15;
  q.input1_multiplier = q.input2_multiplier = q.output_multiplier = 1 << 30;
  q.output_shift = -13;
  q.act_min = -32768;
  q.act_max = 32767;
  const std::int16_t a[6] = {10, 20, 30, 40, 50, 60};
  const std::int16_t row[3] = {1, 2, 3};
  const std::int16_t column[2] = {100, -32768};
  ap_broadcast_params p{{1, 1, 1, 2, 3}, {0, 0, 0, 3, 1}, {0, 0, 0, 0, 1}};
  Guarded<std::int16_t> out(6);
  ap_sub_s16_broadcast(&p, &q, a, row, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{9, 18, 27, 39, 48, 57}));
  p.stride2[3] = 1;
  p.stride2[4] = 0;
  ap_sub_s16_broadcast(&p, &q, a, column, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{-90, -80, -70, 32767, 32767, 32767}));
  EXPECT_TRUE(out.guards_intact());
}

// TFLite Micro prepares SUB in float (sub_common.cc), ADD in double. With the scales of the
// seanet sub0 model the output multipliers differ in the last bit, and only the float one gives
// TFLite Micro's own output for element 560 of its golden set 0 (12399 - 12403 -> 20048).
TEST(KernelsShape, SubParametersInFloatAsTfliteMicro) {
  const float s1 = 0.000969371584f, s2 = 8.7098424e-06f, so = 0.000594149402f;
  const arenaplan::c_out::AddParams sub = arenaplan::c_out::sub_params(s1, s2, so, 15);
  const arenaplan::c_out::AddParams add = arenaplan::c_out::add_params(s1, s2, so, 15);
  EXPECT_NE(sub.output.multiplier, add.output.multiplier);
  const auto run = [](const arenaplan::c_out::AddParams& p) {
    const ap_add_quant q{p.left_shift,   0, p.input1.multiplier, p.input1.shift, 0,      p.input2.multiplier,
                         p.input2.shift, 0, p.output.multiplier, p.output.shift, -32768, 32767};
    const std::int16_t a = 12399, b = 12403;
    std::int16_t out = 0;
    ap_sub_s16(1, &q, &a, &b, &out);
    return out;
  };
  EXPECT_EQ(run(sub), 20048);
  EXPECT_EQ(run(add), 20047);
}

// QUANTIZE between integer types, by hand: a scale ratio of 0.5 (2^30, shift 0) rounds half away
// from zero (3 -> 2, -3 -> -2) before the zero point is added; results clamp to the output type;
// uint8 <-> int8 with equal scales is the 128 shift; int16 -> int32 does not clamp at int16.
TEST(KernelsShape, RequantizeBetweenIntegerTypes) {
  const std::int16_t s16[4] = {0, 3, -3, 1000};
  Guarded<std::int8_t> s8(4);
  const ap_requantize_params half{AP_S16, AP_S8, 0, -128, 1 << 30, 0};
  ap_requantize(4, &half, s16, s8.data());
  EXPECT_EQ(s8.values(), (std::vector<std::int8_t>{-128, -126, -128, 127}));
  EXPECT_TRUE(s8.guards_intact());

  const std::uint8_t u8[3] = {0, 128, 255};
  Guarded<std::int8_t> shifted(3);
  const ap_requantize_params to_s8{AP_U8, AP_S8, 128, 0, 1 << 30, 1};
  ap_requantize(3, &to_s8, u8, shifted.data());
  EXPECT_EQ(shifted.values(), (std::vector<std::int8_t>{-128, 0, 127}));
  Guarded<std::uint8_t> back(3);
  const ap_requantize_params to_u8{AP_S8, AP_U8, -128, 0, 1 << 30, 1};
  ap_requantize(3, &to_u8, shifted.data(), back.data());
  EXPECT_EQ(back.values(), (std::vector<std::uint8_t>{0, 128, 255}));
  EXPECT_TRUE(shifted.guards_intact() && back.guards_intact());

  const std::int16_t extremes[2] = {-32768, 32767};
  Guarded<std::int32_t> wide(2);
  const ap_requantize_params to_s32{AP_S16, AP_S32, -32768, 0, 1 << 30, 0};
  ap_requantize(2, &to_s32, extremes, wide.data());
  EXPECT_EQ(wide.values(), (std::vector<std::int32_t>{0, 32768}));
  EXPECT_TRUE(wide.guards_intact());
}

// Identity multiplier 1 (2^30, shift 1) and alpha 0.25 (2^30, shift -1): 8 -> 8, -8 -> -2,
// -3 -> round(-0.75) = -1, 32767 stays, zero points shift both ways.
TEST(KernelsShape, LeakyReluInt16) {
  const ap_leaky_relu_quant q{0, 0, 1 << 30, 1, 1 << 30, -1};
  const std::int16_t in[4] = {8, -8, -3, 32767};
  Guarded<std::int16_t> out(4);
  ap_leaky_relu_s16(4, &q, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{8, -2, -1, 32767}));
  const ap_leaky_relu_quant shifted{4, -32768, 1 << 30, 1, 1 << 30, -1};
  ap_leaky_relu_s16(4, &shifted, in, out.data());  // 8-4 = 4 -> -32764; -8-4 = -12 -> -3 -> saturates
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{-32764, -32768, -32768, -5}));
  EXPECT_TRUE(out.guards_intact());
  const float f[3] = {2.0f, -2.0f, 0.0f};
  Guarded<float> fo(3);
  ap_leaky_relu_f32(3, 0.5f, f, fo.data());
  EXPECT_EQ(fo.values(), (std::vector<float>{2.0f, -1.0f, 0.0f}));
  EXPECT_TRUE(fo.guards_intact());
}

}  // namespace
