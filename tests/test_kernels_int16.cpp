// int16 LOGISTIC / TANH (runtime/kernels_activation16.c) and integer MEAN / SUM
// (kernels_reduce_cast.c) against values worked out by hand from TFLite's reference algorithms
// (the sigmoid table entries used are quoted). Every output sits between guard bytes.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "arenaplan_kernels.h"
#include "emit/lookup_tables.h"
#include "emit/quantization.h"
#include "guarded.h"
#include "kernels/int16_activation.h"

namespace {

using arenaplan::test::Guarded;

std::vector<std::int16_t> logistic(std::int32_t multiplier, std::int32_t shift, std::vector<std::int16_t> in) {
  Guarded<std::int16_t> out(in.size());
  ap_logistic_s16(static_cast<std::int32_t>(in.size()), multiplier, shift, in.data(), out.data());
  EXPECT_TRUE(out.guards_intact());
  return out.values();
}

std::vector<std::int16_t> tanh16(std::int32_t multiplier, std::int32_t shift, std::vector<std::int16_t> in) {
  Guarded<std::int16_t> out(in.size());
  ap_tanh_s16(static_cast<std::int32_t>(in.size()), multiplier, shift, in.data(), out.data());
  EXPECT_TRUE(out.guards_intact());
  return out.values();
}

// Input scale 2^-12 (multiplier 3, no shift): x = 0 -> (32768 << 9) + 512 >> 10 = 16384 (0.5);
// x = 4096 (1.0) -> 3 * 4096 = 12288, entry 24 = 47911, (47911 << 9) + 512 >> 10 = 23956
// (sigmoid(1) * 32768 = 23955.3); x = 32767 -> 98301: entries 191, 192 = 65513, 65514, fraction
// 509: (65513 << 9) + 509 + 512 >> 10 = 32757; x = -32768 -> entry 192, fraction 0:
// (2^25 - (65514 << 9) + 511) >> 10 = 11 (sigmoid(-8) * 32768 = 10.99).
TEST(KernelsInt16, LogisticPowerOfTwoScale) {
  EXPECT_EQ(logistic(3, 0, {0, 4096, 32767, -32768}), (std::vector<std::int16_t>{16384, 23956, 32757, 11}));
}

// A large multiplier drives the table index past 255: both ends saturate, at 32767 ((0x7FFF << 10)
// + 512 >> 10) and 1 ((2^25 - (0x7FFF << 10) + 511) >> 10); the right shift rounds half up:
// (5 * 20000 + 4) >> 3 = 12500, entry 24 (47911), fraction 212 of entry 25 (48443):
// ((47911 << 9) + 212 * 532 + 512) >> 10 = 24066.
TEST(KernelsInt16, LogisticSaturatesAndRounds) {
  EXPECT_EQ(logistic(30000, 2, {32767, -32768}), (std::vector<std::int16_t>{32767, 1}));
  EXPECT_EQ(logistic(20000, 3, {5}), (std::vector<std::int16_t>{24066}));
}

// TANH, input scale 2^-12: 0 -> (32768 << 8) - 2^23 + 128 >> 8 = 0; 4096 -> 12288, entry 48 =
// 57724: (57724 << 8) - 2^23 + 128 >> 8 = 24956 (tanh(1) * 32768 = 24956.0); -4096 rounds down to
// -24956 (symmetric); scale 2^-11 (multiplier 6) saturates at +-32767.
TEST(KernelsInt16, TanhPowerOfTwoScalesAndSaturation) {
  EXPECT_EQ(tanh16(3, 0, {0, 4096, -4096}), (std::vector<std::int16_t>{0, 24956, -24956}));
  EXPECT_EQ(tanh16(6, 0, {32767, -32768}), (std::vector<std::int16_t>{32767, -32767}));
}

// The general path: (5 * 20000 + 4) >> 3 = 12500 = entry 48 (57724) + 212 / 256 of entry 49 (58007):
// ((57724 << 8) + 212 * 283 - 2^23 + 128) >> 8 = 25190.
TEST(KernelsInt16, TanhGeneralScale) { EXPECT_EQ(tanh16(20000, 3, {5}), (std::vector<std::int16_t>{25190})); }

// The output may be the input's own bytes.
TEST(KernelsInt16, LogisticInPlace) {
  std::int16_t x[3] = {0, 4096, -32768};
  ap_logistic_s16(3, 3, 0, x, x);
  EXPECT_EQ(std::vector<std::int16_t>(x, x + 3), (std::vector<std::int16_t>{16384, 23956, 11}));
}

// TFLite Micro's Prepare: 2^-12 gives 3 (TANH also 2^-11: 6); otherwise scale * 12288 doubled
// until above 16383.5: 0.0007 * 12288 = 8.6016, doubled 11 times = 17616.2 -> 17616, shift 11.
TEST(KernelsInt16, PrepareMultipliers) {
  using arenaplan::kernels::int16_activation_scaling;
  EXPECT_EQ(int16_activation_scaling(1.0f / 4096, false)->multiplier, 3);
  EXPECT_EQ(int16_activation_scaling(1.0f / 2048, true)->multiplier, 6);
  const auto general = int16_activation_scaling(0.0007f, false);
  ASSERT_TRUE(general);
  EXPECT_EQ(general->multiplier, 17616);
  EXPECT_EQ(general->right_shift, 11);
  EXPECT_EQ(int16_activation_scaling(1.0f / 2048, false)->multiplier, 24576);  // LOGISTIC: 2^-11 is general, 6 << 12
  EXPECT_FALSE(int16_activation_scaling(3.0f, false));                         // 36864 > 32767
}

ap_reduce_params reduce_params(std::vector<std::int32_t> shape, std::vector<int> reduced) {
  ap_reduce_params p{};
  const std::size_t lead = AP_MAX_DIMS - shape.size();
  for (std::size_t d = 0; d < AP_MAX_DIMS; ++d) p.in_shape[d] = d < lead ? 1 : shape[d - lead];
  for (int axis : reduced) p.reduce[lead + static_cast<std::size_t>(axis)] = 1;
  return p;
}

template <typename T>
std::vector<T> reduce(const ap_reduce_params& p, const ap_reduce_quant& q, const std::vector<T>& in, std::size_t n) {
  Guarded<T> out(n);
  ap_mean_sum_q(&p, &q, in.data(), out.data());
  EXPECT_TRUE(out.guards_intact());
  return out.values();
}

// MEAN over H, W of [1, 2, 2, 2] (channels interleaved) with the same quantization in and out:
// the sum divided with truncation: (1 + 2 + 4 + 7) / 4 = 3 (3.5), (-3 - 4 + 5 - 128) / 4 = -32 (-32.5).
TEST(KernelsInt16, MeanSameQuantizationTruncates) {
  const ap_reduce_quant q{AP_S8, 0, 1, -7, -7, 1.0f};
  EXPECT_EQ(reduce<std::int8_t>(reduce_params({1, 2, 2, 2}, {1, 2}), q, {1, -3, 2, -4, 4, 5, 7, -128}, 2),
            (std::vector<std::int8_t>{3, -32}));
}

// Rescaled: input scale 0.5 zero point 1 to 0.25 zero point -2 (ratio 2): values 1, 2, 4, 7 are
// 0, 0.5, 1.5, 3, mean 1.25 = 5 steps - 2 = 3; four 127s give 2 * 127 - 2 - 2 = 250, clamped to 127;
// four -128s give -260, clamped to -128.
TEST(KernelsInt16, MeanRescalesAndSaturates) {
  const ap_reduce_quant q{AP_S8, 0, 0, 1, -2, 2.0f};
  EXPECT_EQ(
      reduce<std::int8_t>(reduce_params({4, 3}, {0}), q, {1, 127, -128, 2, 127, -128, 4, 127, -128, 7, 127, -128}, 3),
      (std::vector<std::int8_t>{3, 127, -128}));
}

// uint8, a reduced leading axis (strided inputs): [[1, 2, 3], [4, 5, 6]] over axis 0 = 5/2, 7/2, 9/2
// truncated; zero point 255 at the top of the range.
TEST(KernelsInt16, MeanUint8LeadingAxis) {
  const ap_reduce_quant q{AP_U8, 0, 1, 255, 255, 1.0f};
  EXPECT_EQ(reduce<std::uint8_t>(reduce_params({2, 3}, {0}), q, {1, 2, 3, 4, 5, 6}, 3),
            (std::vector<std::uint8_t>{2, 3, 4}));
}

// SUM: input scale 0.5 zero point 1 to scale 1: 0.5 * 14 - 1 * 0.5 * 4 = 5; four 127s with the
// same quantization give 0.5 * 508 - 2 = 252, cast without clamping (TFLite's static_cast) to
// int8: 252 - 256 = -4.
TEST(KernelsInt16, SumRescalesAndWraps) {
  const ap_reduce_quant q{AP_S8, 1, 0, 1, 0, 0.5f};
  EXPECT_EQ(reduce<std::int8_t>(reduce_params({2, 4}, {1}), q, {1, 2, 4, 7, 127, 127, 127, 127}, 2),
            (std::vector<std::int8_t>{5, -4}));
}

// int16 SUM wraps the same way: 30000 + 30000 = 60000 -> -5536; zero points at the ends of the
// int16 range: (-32768 - (-32768)) * 1 + 32767 = 32767.
TEST(KernelsInt16, SumInt16Wraps) {
  const ap_reduce_quant same{AP_S16, 1, 0, 0, 0, 1.0f};
  EXPECT_EQ(reduce<std::int16_t>(reduce_params({1, 2}, {1}), same, {30000, 30000}, 1),
            (std::vector<std::int16_t>{-5536}));
  const ap_reduce_quant ends{AP_S16, 1, 0, -32768, 32767, 1.0f};
  EXPECT_EQ(reduce<std::int16_t>(reduce_params({1, 1}, {1}), ends, {-32768}, 1), (std::vector<std::int16_t>{32767}));
}

// gen_lut's ends, worked by hand: exp(0) * 32768 and 1 / (1 + 0) * 32768 clamp to 32767,
// 1 / (1 + 1) * 32768 = 16384; entry 0: exp(-10) * 32768 = 1.49 -> 1, the midpoint
// exp(-9.990) * 32768 = 1.50 -> 2 against the interpolated round((1.517 + 1) / 2) = 1: bias
// round(-0.5) = -1, so 1 + 1 = 2.
TEST(KernelsInt16, SoftmaxTables) {
  using arenaplan::c_out::Int16TableFunction;
  const auto exp = arenaplan::c_out::int16_table(Int16TableFunction::exp);
  const auto reciprocal = arenaplan::c_out::int16_table(Int16TableFunction::one_over_one_plus_x);
  EXPECT_EQ(exp[512], 32767);
  EXPECT_EQ(exp[0], 2);
  EXPECT_EQ(reciprocal[0], 32767);
  EXPECT_EQ(reciprocal[512], 16384);
}

// Equal logits give 1 / depth: exp 32767 (the table's top), sum 4 * 32767 = 131068 (15 leading
// zeros), x = 131068 - 98304 = 32764 -> about 1 / 1.99994 in Q0.15, times 32767 >> 16 = 8192 (0.25).
// In the second row, -32768 is (100 + 32768) * 0.0003 = 9.86 below the others: exp(-9.86) / 2.00005
// * 32768 = 0.85 -> 1 step; the others a third each.
TEST(KernelsInt16, SoftmaxRows) {
  using arenaplan::c_out::Int16TableFunction;
  const auto exp = arenaplan::c_out::int16_table(Int16TableFunction::exp);
  const auto reciprocal = arenaplan::c_out::int16_table(Int16TableFunction::one_over_one_plus_x);
  const auto m = arenaplan::c_out::quantize_multiplier(0.0003 / (10.0 / 65535.0));
  const std::vector<std::int16_t> in{7, 7, 7, 7, 100, 100, 100, -32768};
  Guarded<std::int16_t> out(8);
  ap_softmax_s16(2, 4, m.multiplier, m.shift, exp.data(), reciprocal.data(), in.data(), out.data());
  EXPECT_TRUE(out.guards_intact());
  const auto y = out.values();
  for (int c = 0; c < 4; ++c) EXPECT_EQ(y[static_cast<std::size_t>(c)], 8192) << c;
  EXPECT_EQ(y[7], 1);
  EXPECT_NEAR(y[4], 10923, 1);  // a third
}

}  // namespace
