// The generic operators' kernels (runtime/kernels_transpose.c, kernels_activation.c,
// kernels_binary.c) against values worked out by hand. Every output sits between guard bytes that
// must stay untouched.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "arenaplan_kernels.h"
#include "emit/quantization.h"
#include "guarded.h"
#include "kernels/generic_geometry.h"
#include "kernels/operator_view.h"

namespace {

using arenaplan::test::Guarded;

ap_transpose_params transpose_params(std::int32_t size, std::vector<std::int32_t> shape,
                                     std::vector<std::int32_t> perm) {
  ap_transpose_params p{};
  p.element_size = size;
  const std::size_t lead = AP_MAX_DIMS - shape.size();
  for (std::size_t d = 0; d < AP_MAX_DIMS; ++d) {
    p.in_shape[d] = d < lead ? 1 : shape[d - lead];
    p.perm[d] = d < lead ? static_cast<std::int32_t>(d) : perm[d - lead] + static_cast<std::int32_t>(lead);
  }
  return p;
}

// x[2x3] = 0..5 transposed: [[0, 3], [1, 4], [2, 5]].
TEST(KernelsGeneric, TransposeMatrixInt8) {
  const std::int8_t in[6] = {0, 1, 2, 3, 4, 5};
  const ap_transpose_params p = transpose_params(1, {2, 3}, {1, 0});
  Guarded<std::int8_t> out(6);
  ap_transpose(&p, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{0, 3, 1, 4, 2, 5}));
  EXPECT_TRUE(out.guards_intact());
}

// NHWC [1, 2, 2, 3] to NCHW (perm 0, 3, 1, 2) on floats: channel planes of the four pixels.
TEST(KernelsGeneric, TransposeNhwcToNchwFloat) {
  float in[12];
  for (int i = 0; i < 12; ++i) in[i] = static_cast<float>(i);  // pixel p, channel c at 3 * p + c
  const ap_transpose_params p = transpose_params(4, {1, 2, 2, 3}, {0, 3, 1, 2});
  Guarded<float> out(12);
  ap_transpose(&p, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11}));
  EXPECT_TRUE(out.guards_intact());
}

// Rank 5, 8-byte elements, a cycle of every dimension: out[a][b][c][d][e] = in[b][c][d][e][a].
TEST(KernelsGeneric, TransposeRank5Int64) {
  const std::vector<std::int32_t> shape{2, 1, 3, 1, 2};  // in; out is {2, 2, 1, 3, 1}
  std::vector<std::int64_t> in(12);
  for (int i = 0; i < 12; ++i) in[static_cast<std::size_t>(i)] = 1000 + i;
  const ap_transpose_params p = transpose_params(8, shape, {4, 0, 1, 2, 3});
  Guarded<std::int64_t> out(12);
  ap_transpose(&p, in.data(), out.data());
  // in index (i0, i2, i4) = 6 * i0 + 2 * i2 + i4; out order (i4, i0, i2).
  std::vector<std::int64_t> expected;
  for (int i4 = 0; i4 < 2; ++i4)
    for (int i0 = 0; i0 < 2; ++i0)
      for (int i2 = 0; i2 < 3; ++i2) expected.push_back(1000 + 6 * i0 + 2 * i2 + i4);
  EXPECT_EQ(out.values(), expected);
  EXPECT_TRUE(out.guards_intact());
}

// Input scale 0.5 (zero point -10) to output scale 0.25 (zero point 5): values double around the
// zero points; RELU's lower bound is the output zero point, the upper the type's end.
TEST(KernelsGeneric, ReluInt8RescalesAndSaturates) {
  const auto m = arenaplan::c_out::quantize_multiplier(2.0);
  const ap_relu_quant q{AP_S8, -10, 5, m.multiplier, m.shift, 5, 127};
  const std::int8_t in[5] = {-128, -11, -10, 20, 127};
  Guarded<std::int8_t> out(5);
  ap_relu_q(5, &q, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{5, 5, 5, 65, 127}));
  EXPECT_TRUE(out.guards_intact());
}

// uint8 RELU6 with zero point 255 on the input (its extreme) and scale 1/16: 6.0 is 96 steps.
TEST(KernelsGeneric, Relu6Uint8ExtremeZeroPoint) {
  const auto m = arenaplan::c_out::quantize_multiplier(1.0);
  const ap_relu_quant q{AP_U8, 255, 0, m.multiplier, m.shift, 0, 96};
  const std::uint8_t in[4] = {0, 254, 255, 200};
  Guarded<std::uint8_t> out(4);
  ap_relu_q(4, &q, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{0, 0, 0, 0}));  // every input is <= 0.0
  const ap_relu_quant up{AP_U8, 0, 0, m.multiplier, m.shift, 0, 96};
  ap_relu_q(4, &up, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{0, 96, 96, 96}));
  EXPECT_TRUE(out.guards_intact());
}

TEST(KernelsGeneric, ReluFloatKinds) {
  const float in[5] = {-2.0f, -0.5f, 0.5f, 3.0f, 7.0f};
  Guarded<float> out(5);
  ap_relu_f32(5, 1, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{0, 0, 0.5f, 3, 7}));
  ap_relu_f32(5, 2, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{-1, -0.5f, 0.5f, 1, 1}));
  ap_relu_f32(5, 3, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{0, 0, 0.5f, 3, 6}));
  EXPECT_TRUE(out.guards_intact());
}

// The table is indexed by the stored byte: int8 -128 is byte 0x80.
TEST(KernelsGeneric, LookupIndexesByByte) {
  std::uint8_t table[256];
  for (int i = 0; i < 256; ++i) table[i] = static_cast<std::uint8_t>(255 - i);
  const std::int8_t in[4] = {-128, -1, 0, 127};
  Guarded<std::int8_t> out(4);
  ap_lookup_8bit(4, table, in, out.data());
  // bytes 0x80, 0xff, 0x00, 0x7f -> 0x7f, 0x00, 0xff, 0x80
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{127, 0, -1, -128}));
  EXPECT_TRUE(out.guards_intact());
}

// TFLite's float LOGISTIC: exactly 1 above the upper cutoff, exp(x) below the lower one.
TEST(KernelsGeneric, LogisticTanhHardSwishFloat) {
  const float in[5] = {0.0f, 1.0f, 17.0f, -10.0f, -4.0f};
  Guarded<float> out(5);
  ap_logistic_f32(5, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{0.5f, 1.0f / (1.0f + std::exp(-1.0f)), 1.0f, std::exp(-10.0f),
                                              1.0f / (1.0f + std::exp(4.0f))}));
  ap_tanh_f32(5, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{0.0f, std::tanh(1.0f), 1.0f, std::tanh(-10.0f), std::tanh(-4.0f)}));
  ap_hard_swish_f32(5, in, out.data());
  // x * relu6(x + 3) / 6: 0, 1 * 4 / 6, 17, -10 * 0, -4 * 0.
  EXPECT_EQ(out.values(), (std::vector<float>{0.0f, 4.0f / 6.0f, 17.0f, 0.0f, 0.0f}));
  EXPECT_TRUE(out.guards_intact());
}

// in1 [2, 2] (zero point 1) times in2 [2] (zero point -1) broadcast over the rows, scale ratio 0.5,
// output zero point 3: (x1 - 1) * (x2 + 1) / 2 + 3, saturated at both ends.
TEST(KernelsGeneric, MulInt8Broadcast) {
  const auto m = arenaplan::c_out::quantize_multiplier(0.5);
  const ap_mul_quant q{AP_S8, -1, 1, 3, m.multiplier, m.shift, -128, 127};
  const ap_broadcast_params shape{{1, 1, 1, 2, 2}, {0, 0, 0, 2, 1}, {0, 0, 0, 0, 1}};
  const std::int8_t a[4] = {10, -20, 127, -128};
  const std::int8_t b[2] = {2, 5};
  Guarded<std::int8_t> out(4);
  ap_mul_q(&shape, &q, a, b, out.data());
  // 9 * 3 / 2 = 13.5 -> 14; -21 * 6 / 2 = -63; 126 * 3 / 2 = 189; -129 * 6 / 2 = -387.
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{17, -60, 127, -128}));
  EXPECT_TRUE(out.guards_intact());
}

// int16 (zero points 0), ratio 1/64, with a fused RELU (act_min 0).
TEST(KernelsGeneric, MulInt16WithRelu) {
  const auto m = arenaplan::c_out::quantize_multiplier(1.0 / 64.0);
  const ap_mul_quant q{AP_S16, 0, 0, 0, m.multiplier, m.shift, 0, 32767};
  const ap_broadcast_params shape{{1, 1, 1, 1, 3}, {0, 0, 0, 0, 1}, {0, 0, 0, 0, 1}};
  const std::int16_t a[3] = {1000, -32768, -32768};
  const std::int16_t b[3] = {3, -2, 2};
  Guarded<std::int16_t> out(3);
  ap_mul_q(&shape, &q, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{47, 1024, 0}));  // 46.875, 1024, -1024 -> 0
  EXPECT_TRUE(out.guards_intact());
}

// uint8 with a real multiplier over 2^31 (a degenerate output scale): TFLite's int32 x << shift
// takes the count mod 32 and wraps on x86-64 (tflite_run measured the same outputs). Multiplier
// 2^31.5 -> Q31 0.7071, shift 32: count 0, x * 0.7071. 2^90.5 -> shift 91: count 27, so
// 1 << 27 and 2 << 27 stay positive (saturate to 255) but 127 << 27 wraps to -2^27 (clamps to 0).
TEST(KernelsGeneric, MulUint8ShiftOver30WrapsAsTflite) {
  const ap_broadcast_params shape{{1, 1, 1, 1, 4}, {0, 0, 0, 0, 1}, {0, 0, 0, 0, 1}};
  const std::uint8_t a[4] = {0, 1, 127, 2};
  const std::uint8_t b[4] = {1, 1, 1, 1};
  const auto small = arenaplan::c_out::quantize_multiplier_unbounded(std::pow(2.0, 31.5));
  EXPECT_EQ(small.shift, 32);
  const ap_mul_quant q32{AP_U8, 0, 0, 0, small.multiplier, small.shift, 0, 255};
  Guarded<std::uint8_t> out(4);
  ap_mul_q(&shape, &q32, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{0, 1, 90, 1}));  // 0.71, 89.8, 1.41
  const auto huge = arenaplan::c_out::quantize_multiplier_unbounded(std::pow(2.0, 90.5));
  EXPECT_EQ(huge.shift, 91);
  const ap_mul_quant q91{AP_U8, 0, 0, 0, huge.multiplier, huge.shift, 0, 255};
  ap_mul_q(&shape, &q91, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint8_t>{0, 255, 0, 255}));
  EXPECT_TRUE(out.guards_intact());
  EXPECT_THROW(arenaplan::c_out::quantize_multiplier(std::pow(2.0, 90.5)), arenaplan::c_out::ScaleOutOfRange);
}

// [2, 1] x [1, 3] -> [2, 3] with RELU6's range.
TEST(KernelsGeneric, MulFloatBothInputsBroadcast) {
  const ap_broadcast_params shape{{1, 1, 1, 2, 3}, {0, 0, 0, 1, 0}, {0, 0, 0, 0, 1}};
  const float a[2] = {2.0f, -3.0f};
  const float b[3] = {1.0f, 2.0f, 4.0f};
  Guarded<float> out(6);
  ap_mul_f32(&shape, 0.0f, 6.0f, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{2, 4, 6, 0, 0, 0}));
  EXPECT_TRUE(out.guards_intact());
}

TEST(KernelsGeneric, MaximumMinimumBroadcastScalar) {
  const ap_broadcast_params shape{{1, 1, 1, 2, 2}, {0, 0, 0, 2, 1}, {0, 0, 0, 0, 0}};
  const std::int8_t a[4] = {-128, 5, 127, 0};
  const std::int8_t b[1] = {3};
  Guarded<std::int8_t> out(4);
  ap_maximum(&shape, AP_S8, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{3, 5, 127, 3}));
  ap_minimum(&shape, AP_S8, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{-128, 3, 3, 0}));
  EXPECT_TRUE(out.guards_intact());
  // uint8 compares unsigned: 200 > 3.
  const std::uint8_t ua[4] = {200, 0, 3, 4};
  const std::uint8_t ub[1] = {3};
  Guarded<std::uint8_t> uout(4);
  ap_maximum(&shape, AP_U8, ua, ub, uout.data());
  EXPECT_EQ(uout.values(), (std::vector<std::uint8_t>{200, 3, 3, 4}));
  EXPECT_TRUE(uout.guards_intact());
}

TEST(KernelsGeneric, MaximumMinimumFloatAndInt64) {
  const ap_broadcast_params shape{{1, 1, 1, 1, 3}, {0, 0, 0, 0, 1}, {0, 0, 0, 0, 1}};
  const float a[3] = {-1.5f, 2.0f, 0.25f};
  const float b[3] = {-2.5f, 3.0f, 0.25f};
  Guarded<float> out(3);
  ap_minimum(&shape, AP_F32, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{-2.5f, 2.0f, 0.25f}));
  const std::int64_t la[3] = {INT64_MIN, 1LL << 40, 0};
  const std::int64_t lb[3] = {0, (1LL << 40) + 1, -1};
  Guarded<std::int64_t> lout(3);
  ap_maximum(&shape, AP_S64, la, lb, lout.data());
  EXPECT_EQ(lout.values(), (std::vector<std::int64_t>{0, (1LL << 40) + 1, 0}));
  EXPECT_TRUE(out.guards_intact());
  EXPECT_TRUE(lout.guards_intact());
}

// Half away from zero, the type's ends, NaN to the zero point (uint8 with zero point 128).
TEST(KernelsGeneric, QuantizeFloatToUint8AndInt16) {
  const float in[6] = {0.0f, 1.25f, -0.75f, -100.0f, 1000.0f, std::nanf("")};
  Guarded<std::uint8_t> u(6);
  ap_quantize_f32(6, AP_U8, 0.5f, 128, in, u.data());
  EXPECT_EQ(u.values(), (std::vector<std::uint8_t>{128, 131, 126, 0, 255, 128}));
  EXPECT_TRUE(u.guards_intact());
  const float wide[4] = {1.0f, -40.0f, 31.999f, 1e30f};
  Guarded<std::int16_t> s(4);
  ap_quantize_f32(4, AP_S16, 1.0f / 1024, 0, wide, s.data());
  EXPECT_EQ(s.values(), (std::vector<std::int16_t>{1024, -32768, 32767, 32767}));
  EXPECT_TRUE(s.guards_intact());
}

// Zero points at the extremes of their types.
TEST(KernelsGeneric, DequantizeUint8AndInt16) {
  const std::uint8_t u[3] = {0, 254, 255};
  Guarded<float> out(3);
  ap_dequantize_f32(3, AP_U8, 0.25f, 255, u, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{-63.75f, -0.25f, 0.0f}));
  const std::int16_t s[3] = {-32768, 0, 32767};
  ap_dequantize_f32(3, AP_S16, 1.0f / 16, -32768, s, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{0.0f, 2048.0f, 4095.9375f}));
  EXPECT_TRUE(out.guards_intact());
}

// x[2][3][2] over the middle axis: ties go to the first index.
TEST(KernelsGeneric, ArgMaxArgMinFirstIndex) {
  const std::int8_t in[12] = {1,    -5,  7,    -5,  7,    9,  //
                              -128, 127, -128, 127, -128, 0};
  ap_arg_params p{2, 3, 2, AP_S8, 0, 1};
  Guarded<std::int32_t> out(4);
  ap_arg_min_max(&p, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int32_t>{1, 2, 0, 0}));
  p.is_max = 0;
  ap_arg_min_max(&p, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int32_t>{0, 0, 0, 2}));
  EXPECT_TRUE(out.guards_intact());
  // uint8 compares unsigned; int64 indices.
  const std::uint8_t u[3] = {200, 3, 255};
  const ap_arg_params q{1, 3, 1, AP_U8, 1, 0};
  Guarded<std::int64_t> wide(1);
  ap_arg_min_max(&q, u, wide.data());
  EXPECT_EQ(wide.values(), (std::vector<std::int64_t>{1}));
  EXPECT_TRUE(wide.guards_intact());
}

TEST(KernelsGeneric, CastTruncatesWrapsAndTestsNonZero) {
  const float f[5] = {1.9f, -1.9f, 300.0f, std::nanf(""), -0.0f};
  Guarded<std::int8_t> s8(5);
  ap_cast(5, AP_F32, AP_S8, f, s8.data());
  EXPECT_EQ(s8.values(), (std::vector<std::int8_t>{1, -1, 44, 0, 0}));  // 300 wraps to 44
  Guarded<std::uint8_t> flags(5);
  ap_cast(5, AP_F32, AP_BOOL, f, flags.data());
  EXPECT_EQ(flags.values(), (std::vector<std::uint8_t>{1, 1, 1, 1, 0}));
  const std::int32_t i32[3] = {70000, -1, INT32_MIN};
  Guarded<std::int16_t> s16(3);
  ap_cast(3, AP_S32, AP_S16, i32, s16.data());
  EXPECT_EQ(s16.values(), (std::vector<std::int16_t>{4464, -1, 0}));
  const std::int8_t neg[2] = {-1, -128};
  Guarded<std::uint8_t> u8(2);
  ap_cast(2, AP_S8, AP_U8, neg, u8.data());
  EXPECT_EQ(u8.values(), (std::vector<std::uint8_t>{255, 128}));
  const std::int64_t big[2] = {(1LL << 53) + 1, -3};
  Guarded<float> real(2);
  ap_cast(2, AP_S64, AP_F32, big, real.data());
  EXPECT_EQ(real.values(), (std::vector<float>{9007199254740992.0f, -3.0f}));
  EXPECT_TRUE(s8.guards_intact() && flags.guards_intact() && s16.guards_intact() && u8.guards_intact() &&
              real.guards_intact());
}

// FLOOR_MOD takes the divisor's sign (Python's %), for floats and integers; DIV and
// SQUARED_DIFFERENCE broadcast a [2] over [2, 2].
TEST(KernelsGeneric, FloatBinaryAndFloorMod) {
  const ap_broadcast_params shape{{1, 1, 1, 2, 2}, {0, 0, 0, 2, 1}, {0, 0, 0, 0, 1}};
  const float a[4] = {7.0f, -7.0f, 7.5f, -1.0f};
  const float b[2] = {3.0f, -2.0f};
  Guarded<float> out(4);
  ap_binary_f32(&shape, AP_FLOOR_MOD, -3.4e38f, 3.4e38f, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{1.0f, -1.0f, 1.5f, -1.0f}));
  ap_binary_f32(&shape, AP_DIV, -3.4e38f, 3.4e38f, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{7.0f / 3.0f, 3.5f, 2.5f, 0.5f}));
  ap_binary_f32(&shape, AP_DIV, 0.0f, 1.0f, a, b, out.data());  // RELU_N1_TO_1 would be [-1, 1]; here [0, 1]
  EXPECT_EQ(out.values(), (std::vector<float>{1.0f, 1.0f, 1.0f, 0.5f}));
  ap_binary_f32(&shape, AP_SQUARED_DIFFERENCE, -3.4e38f, 3.4e38f, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{16.0f, 25.0f, 20.25f, 1.0f}));
  EXPECT_TRUE(out.guards_intact());
  const std::int32_t x[4] = {7, -7, INT32_MIN, 5};
  const std::int32_t y[2] = {-1, 0};  // x % -1 (INT32_MIN included) and a zero divisor: 0
  const std::int32_t z[2] = {3, -2};
  Guarded<std::int32_t> m(4);
  ap_floor_mod(&shape, AP_S32, x, z, m.data());
  EXPECT_EQ(m.values(), (std::vector<std::int32_t>{1, -1, 1, -1}));  // INT32_MIN mod 3 = 1
  ap_floor_mod(&shape, AP_S32, x, y, m.data());
  EXPECT_EQ(m.values(), (std::vector<std::int32_t>{0, 0, 0, 0}));
  EXPECT_TRUE(m.guards_intact());
}

TEST(KernelsGeneric, RsqrtAndLogSoftmax) {
  const float in[4] = {4.0f, 0.25f, 1.0f, 0.0f};
  Guarded<float> out(4);
  ap_rsqrt_f32(4, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<float>{0.5f, 2.0f, 1.0f, INFINITY}));
  // Rows {0, ln 3} and {5, 5}: log(1/4), log(3/4); log(1/2) twice.
  const float rows[4] = {0.0f, std::log(3.0f), 5.0f, 5.0f};
  ap_log_softmax_f32(2, 2, rows, out.data());
  const std::vector<float> got = out.values();
  EXPECT_NEAR(got[0], std::log(0.25f), 1e-6);
  EXPECT_NEAR(got[1], std::log(0.75f), 1e-6);
  EXPECT_FLOAT_EQ(got[2], -std::log(2.0f));
  EXPECT_FLOAT_EQ(got[3], -std::log(2.0f));
  EXPECT_TRUE(out.guards_intact());
}

// int8 LOG_SOFTMAX on values worked out by hand (output steps of 1/16 from 127): four equal
// values give log(1/4) = -22.2 steps; a row of one gives 0; at scale 1 the difference -255 lies
// below diff_min (-15) and gives -128; at scale 1/16, [1, 0] gives -0.313 and -1.313 (-5, -21
// steps). The output may be the input (row by row, each read before it is written).
TEST(KernelsGeneric, LogSoftmaxInt8HandValues) {
  using arenaplan::c_out::log_softmax_params;
  const auto run = [](double scale, std::int32_t rows, std::int32_t depth, std::vector<std::int8_t> values) {
    const auto p = log_softmax_params(scale);
    Guarded<std::int8_t> out(values.size());
    ap_log_softmax_s8(rows, depth, p.softmax.input_multiplier, p.softmax.input_left_shift, p.reverse_multiplier,
                      p.reverse_right_shift, p.softmax.diff_min, values.data(), out.data());
    EXPECT_TRUE(out.guards_intact());
    std::vector<std::int8_t> in_place = values;
    ap_log_softmax_s8(rows, depth, p.softmax.input_multiplier, p.softmax.input_left_shift, p.reverse_multiplier,
                      p.reverse_right_shift, p.softmax.diff_min, in_place.data(), in_place.data());
    EXPECT_EQ(in_place, out.values());
    return out.values();
  };
  EXPECT_EQ(run(0.1, 2, 4, {3, 3, 3, 3, -50, -50, -50, -50}), (std::vector<std::int8_t>(8, 105)));
  EXPECT_EQ(run(0.1, 3, 1, {-128, 0, 127}), (std::vector<std::int8_t>(3, 127)));
  EXPECT_EQ(log_softmax_params(1.0).softmax.diff_min, -15);
  EXPECT_EQ(run(1.0, 1, 2, {127, -128}), (std::vector<std::int8_t>{127, -128}));
  EXPECT_EQ(run(1.0 / 16, 1, 2, {16, 0}), (std::vector<std::int8_t>{122, 106}));
}

// x[1][2][3] = 1..6 (one channel), block 2 x 2, one column of padding on the left: four batches of
// [1, 2] each; BATCH_TO_SPACE_ND with the same crop gives x back.
TEST(KernelsGeneric, SpaceToBatchAndBack) {
  const std::int8_t in[6] = {1, 2, 3, 4, 5, 6};
  const std::int8_t pad = -7;
  const ap_space_batch_params p{1, 1, 2, 3, 1, 4, 1, 2, 2, 2, 0, 1};
  Guarded<std::int8_t> out(8);
  ap_space_to_batch(&p, &pad, in, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{-7, 2, 1, 3, -7, 5, 4, 6}));
  EXPECT_TRUE(out.guards_intact());
  const std::vector<std::int8_t> batches = out.values();
  const ap_space_batch_params q{1, 4, 1, 2, 1, 1, 2, 3, 2, 2, 0, 1};
  Guarded<std::int8_t> back(6);
  ap_batch_to_space(&q, batches.data(), back.data());
  EXPECT_EQ(back.values(), (std::vector<std::int8_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_TRUE(back.guards_intact());
}

// int32 MUL wraps (x86's imul, which TFLite's int32 arithmetic compiles to); DIV truncates, a zero
// divisor and INT32_MIN / -1 give 0; the activation range clamps both.
TEST(KernelsGeneric, Int32MulDivAndUint32Cast) {
  const ap_broadcast_params shape{{1, 1, 1, 1, 4}, {0, 0, 0, 0, 1}, {0, 0, 0, 0, 1}};
  const std::int32_t a[4] = {7, -7, INT32_MIN, 65536};
  const std::int32_t b[4] = {2, 2, -1, 65536};
  Guarded<std::int32_t> out(4);
  ap_binary_s32(&shape, AP_MUL, INT32_MIN, INT32_MAX, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int32_t>{14, -14, INT32_MIN, 0}));  // 2^32 wraps to 0
  ap_binary_s32(&shape, AP_DIV, INT32_MIN, INT32_MAX, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int32_t>{3, -3, 0, 1}));
  ap_binary_s32(&shape, AP_ADD, INT32_MIN, INT32_MAX, a, b, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int32_t>{9, -5, INT32_MAX, 131072}));  // INT32_MIN - 1 wraps
  ap_binary_s32(&shape, AP_DIV, 0, 6, a, b, out.data());                           // RELU6's range
  EXPECT_EQ(out.values(), (std::vector<std::int32_t>{3, 0, 0, 1}));
  EXPECT_TRUE(out.guards_intact());
  const std::uint32_t u[2] = {4294967295u, 7u};
  Guarded<std::int32_t> s(2);
  ap_cast(2, AP_U32, AP_S32, u, s.data());
  EXPECT_EQ(s.values(), (std::vector<std::int32_t>{-1, 7}));
  const std::int32_t back[2] = {-1, 7};
  Guarded<std::uint32_t> v(2);
  ap_cast(2, AP_S32, AP_U32, back, v.data());
  EXPECT_EQ(v.values(), (std::vector<std::uint32_t>{4294967295u, 7u}));
  EXPECT_TRUE(s.guards_intact() && v.guards_intact());
}

// A rank-6 TRANSPOSE (ONNX's pixel shuffle) fits the five kernel dimensions once its size-1
// dimensions are dropped: [1, 1, 2, 3, 4, 5] by [0, 1, 4, 2, 5, 3].
TEST(TransposeGeometry, DropsSizeOneDimensionsOfARankSixPermutation) {
  using namespace arenaplan;
  Graph g;
  g.source = "pixel_shuffle";
  Tensor in, perm, out;
  in.type = out.type = DataType::int8;
  in.shape = {1, 1, 2, 3, 4, 5};
  out.shape = {1, 1, 4, 2, 5, 3};
  perm.type = DataType::int32;
  perm.shape = {6};
  perm.is_constant = true;
  perm.constant_buffer = 0;
  const std::int32_t order[6] = {0, 1, 4, 2, 5, 3};
  g.constant_data.push_back(std::vector<std::uint8_t>(reinterpret_cast<const std::uint8_t*>(order),
                                                      reinterpret_cast<const std::uint8_t*>(order) + sizeof order));
  g.tensors = {in, perm, out};
  Operator op;
  op.opcode = "TRANSPOSE";
  op.inputs = {0, 1};
  op.outputs = {2};
  g.operators = {op};
  const auto geometry = kernels::transpose_geometry(kernels::OperatorView(g, 0));
  ASSERT_TRUE(geometry.has_value());
  EXPECT_EQ(geometry->in_shape, (kernels::Dims{1, 2, 3, 4, 5}));
  EXPECT_EQ(geometry->perm, (kernels::Dims{0, 3, 1, 4, 2}));
  // Six dimensions of more than one element do not fit.
  g.tensors[0].shape = {2, 2, 2, 2, 2, 2};
  g.tensors[2].shape = {2, 2, 2, 2, 2, 2};
  EXPECT_FALSE(kernels::transpose_geometry(kernels::OperatorView(g, 0)).has_value());
}

}  // namespace
