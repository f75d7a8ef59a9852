// The C kernel library (runtime/arenaplan_kernels.c) against values worked out by hand or by an
// independent, straightforward formulation of TFLite's reference semantics written here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "arenaplan_kernels.h"

namespace {

// ---------------------------------------------------------------------------------------------
// Independent references
// ---------------------------------------------------------------------------------------------

constexpr int32_t kMax32 = std::numeric_limits<int32_t>::max();
constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();

bool have_wide_long_double() { return std::numeric_limits<long double>::digits >= 64; }

// MultiplyByQuantizedMultiplier as two roundings of exact real numbers (long double holds the
// 62-bit products exactly): round(x * 2^left * m / 2^31) with ties toward +infinity (the
// doubling high multiply's nudge), then / 2^right with ties away from zero (RoundingDivideByPOT).
int32_t ref_mbqm(int32_t x, int32_t m, int shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  long double xs = std::ldexp(static_cast<long double>(x), left);
  xs = std::min<long double>(std::max<long double>(xs, kMin32), kMax32);
  if (xs == kMin32 && m == kMin32) return kMax32;
  const long double high = std::floor(std::ldexp(xs * m, -31) + 0.5L);
  return static_cast<int32_t>(std::round(std::ldexp(high, -right)));
}

// TFLite's QuantizeMultiplier: m in [2^30, 2^31), real = m * 2^(shift - 31).
void quantize_multiplier(double real, int32_t* m, int32_t* shift) {
  if (real == 0.0) {
    *m = 0;
    *shift = 0;
    return;
  }
  int e = 0;
  const double q = std::frexp(real, &e);
  auto fixed = static_cast<int64_t>(std::round(q * 2147483648.0));
  if (fixed == (int64_t{1} << 31)) {
    fixed /= 2;
    ++e;
  }
  *m = static_cast<int32_t>(fixed);
  *shift = e;
}

int8_t clamp8(int64_t v, int32_t lo = -128, int32_t hi = 127) {
  return static_cast<int8_t>(std::min<int64_t>(std::max<int64_t>(v, lo), hi));
}

struct Rng {
  std::mt19937 gen;
  explicit Rng(uint32_t seed) : gen(seed) {}
  int32_t uniform(int32_t lo, int32_t hi) { return std::uniform_int_distribution<int32_t>(lo, hi)(gen); }
  float uniform_f(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(gen); }
  std::vector<int8_t> s8(size_t n, int lo = -128, int hi = 127) {
    std::vector<int8_t> v(n);
    for (auto& x : v) x = static_cast<int8_t>(uniform(lo, hi));
    return v;
  }
  std::vector<float> f32(size_t n, float lo, float hi) {
    std::vector<float> v(n);
    for (auto& x : v) x = uniform_f(lo, hi);
    return v;
  }
};

ap_conv_shape conv_shape(int in_h, int in_w, int in_c, int out_c, int fh, int fw, int stride, int dilation, int pad,
                         int depth_multiplier = 1, int batches = 1) {
  ap_conv_shape s{};
  s.batches = batches;
  s.in_h = in_h;
  s.in_w = in_w;
  s.in_c = in_c;
  s.out_c = out_c;
  s.filter_h = fh;
  s.filter_w = fw;
  s.stride_h = s.stride_w = stride;
  s.dilation_h = s.dilation_w = dilation;
  s.pad_h = s.pad_w = pad;
  s.depth_multiplier = depth_multiplier;
  const int eff_h = (fh - 1) * dilation + 1, eff_w = (fw - 1) * dilation + 1;
  s.out_h = (in_h + 2 * pad - eff_h) / stride + 1;
  s.out_w = (in_w + 2 * pad - eff_w) / stride + 1;
  return s;
}

// Brute-force convolution in double on real values. depthwise: filter 1HW(C*M); else OHWI.
// in(b, y, x, c) returns 0 outside the image (zero padding of real values == skipping taps).
std::vector<double> brute_conv(const ap_conv_shape& s, bool depthwise, const std::vector<double>& in,
                               const std::vector<double>& f, const std::vector<double>& bias) {
  std::vector<double> out(static_cast<size_t>(s.batches * s.out_h * s.out_w * s.out_c), 0.0);
  auto at = [&](int b, int y, int x, int c) -> double {
    if (y < 0 || y >= s.in_h || x < 0 || x >= s.in_w) return 0.0;
    return in[static_cast<size_t>(((b * s.in_h + y) * s.in_w + x) * s.in_c + c)];
  };
  for (int b = 0; b < s.batches; ++b)
    for (int oy = 0; oy < s.out_h; ++oy)
      for (int ox = 0; ox < s.out_w; ++ox)
        for (int oc = 0; oc < s.out_c; ++oc) {
          double total = bias.empty() ? 0.0 : bias[static_cast<size_t>(oc)];
          for (int ky = 0; ky < s.filter_h; ++ky)
            for (int kx = 0; kx < s.filter_w; ++kx) {
              const int y = oy * s.stride_h - s.pad_h + ky * s.dilation_h;
              const int x = ox * s.stride_w - s.pad_w + kx * s.dilation_w;
              if (depthwise) {
                const int ic = oc / s.depth_multiplier;
                total += at(b, y, x, ic) * f[static_cast<size_t>((ky * s.filter_w + kx) * s.out_c + oc)];
              } else {
                for (int ic = 0; ic < s.in_c; ++ic)
                  total += at(b, y, x, ic) *
                           f[static_cast<size_t>(((oc * s.filter_h + ky) * s.filter_w + kx) * s.in_c + ic)];
              }
            }
          out[static_cast<size_t>(((b * s.out_h + oy) * s.out_w + ox) * s.out_c + oc)] = total;
        }
  return out;
}

// ---------------------------------------------------------------------------------------------
// MultiplyByQuantizedMultiplier
// ---------------------------------------------------------------------------------------------

TEST(Kernels, MultiplyByQuantizedMultiplierIdentity) {
  // multiplier 2^30 with shift 1 is exactly 1.0.
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(1000, 1 << 30, 1), 1000);
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(-1000, 1 << 30, 1), -1000);
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(0, 1 << 30, 5), 0);
}

TEST(Kernels, MultiplyByQuantizedMultiplierRoundingByHand) {
  const int32_t half = 1 << 30;  // 0.5 with shift 0
  // The doubling high multiply rounds ties toward +infinity: 1.5 -> 2, -1.5 -> -1.
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(3, half, 0), 2);
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(-3, half, 0), -1);
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(-5, half, 0), -2);  // -2.5 -> -2
  // Non-ties round to nearest either way: -1.75 -> -2, -1.25 -> -1.
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(-7, 1 << 28, 1), -2);   // -7 * 2 * 0.125 = -1.75
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(-5, 1 << 28, 1), -1);   // -1.25
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(-7, 1 << 29, 1), -3);   // -7 * 2 * 0.25 = -3.5, a tie
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(-5, 1 << 30, -1), -1);  // -2.5 -> -2, then -1
  // Double rounding: 5 * 0.25 = 1.25 would round to 1, but 5 * 0.5 = 2.5 -> 3 first, 3 / 2 -> 2.
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(5, half, -1), 2);
  // RoundingDivideByPOT rounds ties away from zero: -3 * 0.5 = -1.5 -> -1 first; then
  // -6 * 0.5 = -3 exactly, / 2 = -1.5 -> -2.
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(-6, half, -1), -2);
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(6, half, -1), 2);  // 1.5 -> 2
  // The one saturating case of the doubling high multiply.
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(kMin32, kMin32, 0), kMax32);
  // Left shift then multiply: 100 * 2^4 * 0.75 = 1200.
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(100, 3 << 29, 4), 1200);
  // Right shift by 31 of a large value.
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(kMax32, kMax32, -31), 1);  // ~ (2^31 - 2) / 2^31 -> 1
}

TEST(Kernels, MultiplyByQuantizedMultiplierMatchesExactRounding) {
  if (!have_wide_long_double()) GTEST_SKIP() << "needs a 64-bit-mantissa long double";
  Rng rng(12345);
  int checked = 0;
  for (int i = 0; i < 200000; ++i) {
    const int32_t m = rng.uniform(1 << 30, kMax32);
    const int shift = rng.uniform(-31, 8);
    // Mostly small accumulators (the realistic case), sometimes anything that does not overflow.
    const int32_t bound = (i % 3 == 0) ? (kMax32 >> (shift > 0 ? shift : 0)) : (1 << 20);
    const int32_t x = rng.uniform(-bound, bound);
    ASSERT_EQ(ap_multiply_by_quantized_multiplier(x, m, shift), ref_mbqm(x, m, shift))
        << "x=" << x << " m=" << m << " shift=" << shift;
    ++checked;
  }
  // Exact ties of both roundings, where mistakes show.
  for (int32_t x = -4096; x <= 4096; ++x)
    for (int shift = -12; shift <= 0; ++shift) {
      ASSERT_EQ(ap_multiply_by_quantized_multiplier(x, 1 << 30, shift), ref_mbqm(x, 1 << 30, shift))
          << x << " " << shift;
      ASSERT_EQ(ap_multiply_by_quantized_multiplier(x, 3 << 29, shift), ref_mbqm(x, 3 << 29, shift))
          << x << " " << shift;
    }
  EXPECT_EQ(checked, 200000);
}

// Parameters no converter produces (TFLite's C++ would overflow or shift by >= 32): the kernels
// stay defined (checked under the sanitizer build) and give the saturated or exact value.
TEST(Kernels, ExtremeParametersStayDefined) {
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(kMax32, 1 << 30, 31), 1 << 30);  // saturated, then x0.5
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(kMin32, 1 << 30, 40), kMin32 / 2);
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(kMin32, 1 << 30, 0), kMin32 / 2);
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(5, 1 << 30, kMin32), 0);
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(-5, 1 << 30, -40), 0);
  EXPECT_EQ(ap_multiply_by_quantized_multiplier(kMax32, kMax32, kMax32), kMax32 - 1);
  // A softmax row so long that the sum of exps saturates: every probability rounds to 0.
  std::vector<int8_t> in(5000, 3), out(5000);
  ap_softmax_s8(1, 5000, 1 << 30, 27, -15, in.data(), out.data());
  EXPECT_EQ(*std::max_element(out.begin(), out.end()), -128);
  // diff_min > 0: nothing passes.
  ap_softmax_s8(1, 4, 1 << 30, 27, 1, in.data(), out.data());
  EXPECT_EQ(out[0], -128);
  const float inf = std::numeric_limits<float>::infinity();
  const float big[3] = {inf, -inf, 3e38f};
  int8_t q[3];
  ap_quantize_f32_s8(3, 1e-30f, 0, big, q);
  EXPECT_EQ(q[0], 127);
  EXPECT_EQ(q[1], -128);
  EXPECT_EQ(q[2], 127);
}

// ---------------------------------------------------------------------------------------------
// CONV_2D
// ---------------------------------------------------------------------------------------------

TEST(Kernels, Conv2dS8DilationAndPaddingByHand) {
  // Input 3x3x1 with real values 1..9 stored with zero point -1 (q = v - 1, input_offset +1).
  // Filter 2x2 [[1,2],[3,4]] with dilation 2 (taps 2 apart), padding 1, stride 1 -> 3x3 output.
  const ap_conv_shape s = conv_shape(3, 3, 1, 1, 2, 2, 1, 2, 1);
  ASSERT_EQ(s.out_h, 3);
  ASSERT_EQ(s.out_w, 3);
  std::vector<int8_t> in(9);
  for (int i = 0; i < 9; ++i) in[static_cast<size_t>(i)] = static_cast<int8_t>(i + 1 - 1);
  const int8_t filter[4] = {1, 2, 3, 4};
  const int32_t bias[1] = {1};
  const int32_t mult[1] = {1 << 30};  // 0.5
  const int32_t shift[1] = {0};
  const ap_conv_quant q{1, -5, -128, 127, mult, shift};
  int8_t out[9];
  ap_conv2d_s8(&s, &q, in.data(), filter, bias, out);
  // Sums worked out tap by tap (only in-bounds taps count):
  //   (0,0): 5*4            (0,1): 4*3+6*4        (0,2): 5*3
  //   (1,0): 2*2+8*4        (1,1): 1+3*2+7*3+9*4  (1,2): 2*1+8*3
  //   (2,0): 5*2            (2,1): 4*1+6*2        (2,2): 5*1
  const int sums[9] = {20, 36, 15, 36, 64, 26, 10, 16, 5};
  for (int i = 0; i < 9; ++i) {
    // (sum + bias) * 0.5, ties up (the doubling high multiply), then + output offset -5.
    const int acc = sums[i] + 1;
    const int expected = (acc + 1) / 2 - 5;  // acc > 0: floor(acc/2 + 1/2)
    EXPECT_EQ(out[i], expected) << "output " << i;
  }
}

TEST(Kernels, Conv2dS8ActivationClampAndNoBias) {
  const ap_conv_shape s = conv_shape(1, 1, 2, 2, 1, 1, 1, 1, 0);
  const int8_t in[2] = {10, -20};           // zero point 0
  const int8_t filter[4] = {3, 1, -3, -1};  // oc0: 30 - 20 = 10; oc1: -10
  const int32_t mult[2] = {1 << 30, 1 << 30};
  const int32_t shift[2] = {1, 3};                   // x1, x4
  const ap_conv_quant q{0, 0, 0, 127, mult, shift};  // ReLU
  int8_t out[2];
  ap_conv2d_s8(&s, &q, in, filter, nullptr, out);
  EXPECT_EQ(out[0], 10);
  EXPECT_EQ(out[1], 0);
  const ap_conv_quant q6{0, 0, -128, 30, mult, shift};  // act_max 30 (ReLU6-like)
  ap_conv2d_s8(&s, &q6, in, filter, nullptr, out);
  EXPECT_EQ(out[0], 10);
  EXPECT_EQ(out[1], -40);
}

struct QuantConvCase {
  ap_conv_shape shape;
  bool depthwise;
};

// Random int8 convolution: exact against an integer brute force with the reference rescale,
// and within one output step of a float convolution of the dequantized operands.
void check_quantized_conv(const QuantConvCase& c, uint32_t seed) {
  const ap_conv_shape& s = c.shape;
  Rng rng(seed);
  const size_t in_n = static_cast<size_t>(s.batches * s.in_h * s.in_w * s.in_c);
  const size_t f_n = c.depthwise ? static_cast<size_t>(s.filter_h * s.filter_w * s.out_c)
                                 : static_cast<size_t>(s.out_c * s.filter_h * s.filter_w * s.in_c);
  const size_t out_n = static_cast<size_t>(s.batches * s.out_h * s.out_w * s.out_c);
  const float in_scale = 0.05f, out_scale = 0.4f;
  const int32_t in_zp = -7, out_zp = 3;
  std::vector<int8_t> in = rng.s8(in_n), filter = rng.s8(f_n, -127, 127);
  std::vector<float> f_scale(static_cast<size_t>(s.out_c));
  std::vector<int32_t> bias(static_cast<size_t>(s.out_c)), mult(static_cast<size_t>(s.out_c)),
      shift(static_cast<size_t>(s.out_c));
  for (size_t oc = 0; oc < f_scale.size(); ++oc) {
    f_scale[oc] = 0.002f * static_cast<float>(1 + oc);
    bias[oc] = rng.uniform(-2000, 2000);
    quantize_multiplier(static_cast<double>(in_scale) * f_scale[oc] / out_scale, &mult[oc], &shift[oc]);
  }
  const ap_conv_quant q{-in_zp, out_zp, -128, 127, mult.data(), shift.data()};
  std::vector<int8_t> out(out_n);
  if (c.depthwise)
    ap_depthwise_conv2d_s8(&s, &q, in.data(), filter.data(), bias.data(), out.data());
  else
    ap_conv2d_s8(&s, &q, in.data(), filter.data(), bias.data(), out.data());

  // Integer brute force: real-valued conv of (q - zp) and filter, which is exact in double.
  std::vector<double> in_i(in_n), f_i(f_n), bias_i(bias.begin(), bias.end());
  for (size_t i = 0; i < in_n; ++i) in_i[i] = in[i] - in_zp;
  for (size_t i = 0; i < f_n; ++i) f_i[i] = filter[i];
  const std::vector<double> acc = brute_conv(s, c.depthwise, in_i, f_i, bias_i);
  // Float: dequantized operands.
  std::vector<double> in_r(in_n), f_r(f_n), bias_r(static_cast<size_t>(s.out_c));
  for (size_t i = 0; i < in_n; ++i) in_r[i] = in_scale * (in[i] - in_zp);
  for (size_t i = 0; i < f_n; ++i) f_r[i] = f_scale[i % static_cast<size_t>(s.out_c)] * filter[i];
  if (!c.depthwise)  // OHWI: the channel is the outermost index
    for (size_t i = 0; i < f_n; ++i) f_r[i] = f_scale[i / (f_n / static_cast<size_t>(s.out_c))] * filter[i];
  for (size_t oc = 0; oc < bias_r.size(); ++oc) bias_r[oc] = static_cast<double>(in_scale) * f_scale[oc] * bias[oc];
  const std::vector<double> real = brute_conv(s, c.depthwise, in_r, f_r, bias_r);

  int clamped = 0;
  for (size_t i = 0; i < out_n; ++i) {
    const size_t oc = i % static_cast<size_t>(s.out_c);
    const int8_t expected =
        clamp8(static_cast<int64_t>(ref_mbqm(static_cast<int32_t>(acc[i]), mult[oc], shift[oc])) + out_zp);
    ASSERT_EQ(out[i], expected) << "output " << i;
    const double want = std::clamp(real[i] / out_scale + out_zp, -128.0, 127.0);
    ASSERT_NEAR(out[i], want, 1.0) << "output " << i;
    clamped += (out[i] == -128 || out[i] == 127);
  }
  EXPECT_LT(clamped, static_cast<int>(out_n) / 4) << "test data saturates too much to mean anything";
}

TEST(Kernels, Conv2dS8MatchesBruteForce) {
  if (!have_wide_long_double()) GTEST_SKIP();
  check_quantized_conv({conv_shape(7, 6, 3, 4, 3, 3, 2, 1, 1, 1, 2), false}, 1);
  check_quantized_conv({conv_shape(9, 8, 5, 3, 3, 2, 1, 2, 2), false}, 2);
  check_quantized_conv({conv_shape(5, 5, 8, 6, 1, 1, 1, 1, 0), false}, 3);
}

TEST(Kernels, DepthwiseConv2dS8MatchesBruteForce) {
  if (!have_wide_long_double()) GTEST_SKIP();
  check_quantized_conv({conv_shape(7, 6, 3, 6, 3, 3, 2, 1, 1, 2, 2), true}, 4);  // depth multiplier 2
  check_quantized_conv({conv_shape(8, 9, 4, 4, 3, 3, 1, 2, 2, 1), true}, 5);     // dilation 2
  check_quantized_conv({conv_shape(6, 6, 2, 6, 2, 2, 1, 1, 0, 3), true}, 6);     // depth multiplier 3
}

TEST(Kernels, DepthwiseConv2dS8DepthMultiplierTwoByHand) {
  // Input 2x2x2 (channels a, b), filter 2x2x4: output channel 2*ic + m.
  const ap_conv_shape s = conv_shape(2, 2, 2, 4, 2, 2, 1, 1, 0, 2);
  ASSERT_EQ(s.out_h * s.out_w, 1);
  const int8_t in[8] = {1, 10, 2, 20, 3, 30, 4, 40};  // (y,x): a = 1..4, b = 10..40
  // Per tap (y,x): weights for channels 0..3.
  const int8_t filter[16] = {1, 0,  1, -1,  //
                             1, 1,  0, -1,  //
                             1, 0,  0, -1,  //
                             1, -1, 2, -1};
  const int32_t mult[4] = {1 << 30, 1 << 30, 1 << 30, 1 << 30};
  const int32_t shift[4] = {1, 1, 1, 1};
  const int32_t bias[4] = {0, 0, 0, 100};
  const ap_conv_quant q{0, 0, -128, 127, mult, shift};
  int8_t out[4];
  ap_depthwise_conv2d_s8(&s, &q, in, filter, bias, out);
  EXPECT_EQ(out[0], 1 + 2 + 3 + 4);               // a, weights 1,1,1,1
  EXPECT_EQ(out[1], 2 - 4);                       // a, weights 0,1,0,-1
  EXPECT_EQ(out[2], 10 + 80);                     // b, weights 1,0,0,2
  EXPECT_EQ(out[3], -(10 + 20 + 30 + 40) + 100);  // b, weights -1 x4, bias 100
}

TEST(Kernels, ConvF32MatchBruteForce) {
  Rng rng(7);
  const ap_conv_shape shapes[] = {conv_shape(7, 6, 3, 4, 3, 3, 2, 1, 1, 1, 2), conv_shape(9, 8, 5, 3, 3, 2, 1, 2, 2)};
  for (const ap_conv_shape& s : shapes) {
    const size_t in_n = static_cast<size_t>(s.batches * s.in_h * s.in_w * s.in_c);
    const size_t f_n = static_cast<size_t>(s.out_c * s.filter_h * s.filter_w * s.in_c);
    const size_t out_n = static_cast<size_t>(s.batches * s.out_h * s.out_w * s.out_c);
    std::vector<float> in = rng.f32(in_n, -1, 1), f = rng.f32(f_n, -1, 1),
                       bias = rng.f32(static_cast<size_t>(s.out_c), -1, 1);
    std::vector<float> out(out_n);
    ap_conv2d_f32(&s, -1.5f, 2.0f, in.data(), f.data(), bias.data(), out.data());
    const auto want = brute_conv(s, false, {in.begin(), in.end()}, {f.begin(), f.end()}, {bias.begin(), bias.end()});
    for (size_t i = 0; i < out_n; ++i) ASSERT_NEAR(out[i], std::clamp(want[i], -1.5, 2.0), 1e-4) << i;
  }
  const ap_conv_shape s = conv_shape(7, 6, 3, 6, 3, 3, 2, 2, 2, 2, 2);
  const size_t in_n = static_cast<size_t>(s.batches * s.in_h * s.in_w * s.in_c);
  const size_t f_n = static_cast<size_t>(s.filter_h * s.filter_w * s.out_c);
  const size_t out_n = static_cast<size_t>(s.batches * s.out_h * s.out_w * s.out_c);
  std::vector<float> in = rng.f32(in_n, -1, 1), f = rng.f32(f_n, -1, 1);
  std::vector<float> out(out_n);
  ap_depthwise_conv2d_f32(&s, 0.0f, 6.0f, in.data(), f.data(), nullptr, out.data());
  const auto want = brute_conv(s, true, {in.begin(), in.end()}, {f.begin(), f.end()}, {});
  int positive = 0;
  for (size_t i = 0; i < out_n; ++i) {
    ASSERT_NEAR(out[i], std::clamp(want[i], 0.0, 6.0), 1e-5) << i;
    positive += out[i] > 0;
  }
  EXPECT_GT(positive, 0);
}

// ---------------------------------------------------------------------------------------------
// FULLY_CONNECTED
// ---------------------------------------------------------------------------------------------

TEST(Kernels, FullyConnectedS8PerTensorByHand) {
  const ap_fc_shape s{2, 3, 2};
  const int8_t in[6] = {1, 2, 3, -1, 0, 4};  // input zero point -1: real values in + 1
  const int8_t w[6] = {1, 1, 1, 2, 0, -2};   // weights zero point 1: real values w - 1
  const int32_t bias[2] = {5, -5};
  const int32_t mult[1] = {1 << 30};  // 0.5
  const int32_t shift[1] = {0};
  const ap_fc_quant q{1, -1, 10, -128, 127, 0, mult, shift};
  int8_t out[4];
  ap_fully_connected_s8(&s, &q, in, w, bias, out);
  // Row 0 real (2, 3, 4); weights o0 (0, 0, 0) -> 0 + 5 = 5 -> 2.5 -> 3 (+10) = 13
  //                       weights o1 (1, -1, -3) -> 2 - 3 - 12 = -13, -5 -> -18 -> -9 (+10) = 1
  // Row 1 real (0, 1, 5); o0 -> 5 -> 13; o1 -> 0 - 1 - 15 - 5 = -21 -> -10.5 -> -10 (ties up) -> 0
  EXPECT_EQ(out[0], 13);
  EXPECT_EQ(out[1], 1);
  EXPECT_EQ(out[2], 13);
  EXPECT_EQ(out[3], 0);
}

TEST(Kernels, FullyConnectedS8PerChannelByHand) {
  const ap_fc_shape s{1, 2, 3};
  const int8_t in[2] = {4, -6};
  const int8_t w[6] = {1, 1, 2, 0, -1, 3};
  const int32_t mult[3] = {1 << 30, 1 << 30, 3 << 29};
  const int32_t shift[3] = {1, 3, 0};  // x1, x4, x0.75
  const ap_fc_quant q{0, 0, 0, -100, 100, 1, mult, shift};
  int8_t out[3];
  ap_fully_connected_s8(&s, &q, in, w, nullptr, out);
  EXPECT_EQ(out[0], -2);   // (4 - 6) * 1
  EXPECT_EQ(out[1], 32);   // 8 * 4
  EXPECT_EQ(out[2], -16);  // (-4 - 18) * 0.75 = -16.5, a tie: toward +infinity
}

TEST(Kernels, FullyConnectedF32) {
  const ap_fc_shape s{1, 3, 2};
  const float in[3] = {1.0f, -2.0f, 0.5f};
  const float w[6] = {1.0f, 1.0f, 1.0f, -1.0f, 0.5f, 4.0f};
  const float bias[2] = {0.25f, 3.0f};
  float out[2];
  ap_fully_connected_f32(&s, -1.0f, 10.0f, in, w, bias, out);
  EXPECT_FLOAT_EQ(out[0], -0.25f);  // 1 - 2 + 0.5 + 0.25
  EXPECT_FLOAT_EQ(out[1], 3.0f);    // -1 - 1 + 2 + 3
  ap_fully_connected_f32(&s, 0.0f, 2.0f, in, w, nullptr, out);
  EXPECT_FLOAT_EQ(out[0], 0.0f);  // -0.5 clamped
  EXPECT_FLOAT_EQ(out[1], 0.0f);
}

// ---------------------------------------------------------------------------------------------
// Hybrid kernels (float32 activations, int8 weights, two stages)
// ---------------------------------------------------------------------------------------------

ap_hybrid_params hybrid_params(float lo, float hi, bool asymmetric, const std::vector<float>& filter_scales) {
  return ap_hybrid_params{lo, hi, asymmetric ? 1 : 0, filter_scales.size() > 1 ? 1 : 0, filter_scales.data()};
}

TEST(Kernels, HybridSymmetricInputQuantizationByHand) {
  // max |x| = 2: scale 2/127, q = round(x * 63.5), ties away from zero, within +-127.
  const ap_fc_shape s{1, 4, 1};
  const float in[4] = {1.0f, -2.0f, 0.5f, -0.25f};
  const int8_t w[4] = {1, 2, 3, 4};
  const std::vector<float> fs{0.5f};
  const ap_hybrid_params p = hybrid_params(-100.0f, 100.0f, false, fs);
  int8_t q[4];
  float scale = 0.0f;
  float out[1];
  ap_fully_connected_hybrid(&s, &p, in, w, nullptr, q, &scale, nullptr, out);
  EXPECT_EQ(q[0], 64);  // 63.5
  EXPECT_EQ(q[1], -127);
  EXPECT_EQ(q[2], 32);   // 31.75
  EXPECT_EQ(q[3], -16);  // -15.875
  EXPECT_EQ(scale, 2.0f / 127.0f);
  const int32_t acc = 64 * 1 - 127 * 2 + 32 * 3 - 16 * 4;  // -158
  EXPECT_EQ(out[0], static_cast<float>(acc) * (0.5f * scale));
}

TEST(Kernels, HybridAsymmetricInputQuantizationByHand) {
  // Range [-0.5, 191/128]: scale 255/128 / 255 = 1/128, zero point -128 + 64 = 127 - 191 = -64.
  const ap_fc_shape s{1, 4, 2};
  const float in[4] = {-0.5f, 1.4921875f, 0.25f, 0.00390625f};
  const int8_t w[8] = {1, 1, 1, 1, 2, 0, -1, 3};
  const std::vector<float> fs{0.25f, 2.0f};
  const float bias[2] = {1.0f, -1.0f};
  const ap_hybrid_params p = hybrid_params(-100.0f, 100.0f, true, fs);
  int8_t q[4];
  float scale = 0.0f;
  int32_t offset = 0;
  float out[2];
  ap_fully_connected_hybrid(&s, &p, in, w, bias, q, &scale, &offset, out);
  EXPECT_EQ(scale, 1.0f / 128.0f);
  EXPECT_EQ(offset, -64);
  EXPECT_EQ(q[0], -128);
  EXPECT_EQ(q[1], 127);
  EXPECT_EQ(q[2], -32);
  EXPECT_EQ(q[3], -64);  // -64 + 0.5 = -63.5: half away from zero
  // q - offset = (-64, 191, 32, 0), i.e. the input in units of 1/128 (the last one rounded away).
  EXPECT_EQ(out[0], (-64 + 191 + 32) * (0.25f / 128.0f) + 1.0f);
  EXPECT_EQ(out[1], (-128 - 32) * (2.0f / 128.0f) - 1.0f);
  // All zeros: scale 1, zero point 0, output = bias.
  const float zeros[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  ap_fully_connected_hybrid(&s, &p, zeros, w, bias, q, &scale, &offset, out);
  EXPECT_EQ(scale, 1.0f);
  EXPECT_EQ(offset, 0);
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], -1.0f);
}

// The largest quantisation error of one input value: half a step of the batch's scale.
struct HybridCase {
  const char* name;
  int kind;  // 0 conv, 1 depthwise, 2 fully connected
  ap_conv_shape conv;
  ap_fc_shape fc;
  bool asymmetric;
  bool per_channel;
};

// Runs a hybrid kernel on random operands and checks it (1) against the same operator in double
// on the float input and the dequantized weights, within the error the input quantization allows
// (half a step per input value, times the weights' magnitudes), and (2) against the exact
// formula on the kernel's own quantized input, within float rounding; then (3) runs it again with
// the output in the input's own buffer and requires identical bits.
void check_hybrid(const HybridCase& c, uint32_t seed) {
  SCOPED_TRACE(c.name);
  Rng rng(seed);
  const ap_conv_shape& s = c.conv;
  const int batches = c.kind == 2 ? c.fc.batches : s.batches;
  const size_t in_n = c.kind == 2 ? static_cast<size_t>(c.fc.batches * c.fc.in_depth)
                                  : static_cast<size_t>(s.batches * s.in_h * s.in_w * s.in_c);
  const size_t out_n = c.kind == 2 ? static_cast<size_t>(c.fc.batches * c.fc.out_depth)
                                   : static_cast<size_t>(s.batches * s.out_h * s.out_w * s.out_c);
  const int channels = c.kind == 2 ? c.fc.out_depth : s.out_c;
  const size_t w_n = c.kind == 0   ? static_cast<size_t>(s.out_c * s.filter_h * s.filter_w * s.in_c)
                     : c.kind == 1 ? static_cast<size_t>(s.filter_h * s.filter_w * s.out_c)
                                   : static_cast<size_t>(c.fc.out_depth * c.fc.in_depth);
  // Asymmetric cases get a skewed input (mostly positive, as after a RELU).
  std::vector<float> in = c.asymmetric ? rng.f32(in_n, -0.3f, 2.0f) : rng.f32(in_n, -1.5f, 1.5f);
  const std::vector<int8_t> w = rng.s8(w_n, -127, 127);
  std::vector<float> fs(c.per_channel ? static_cast<size_t>(channels) : 1);
  for (float& f : fs) f = rng.uniform_f(0.001f, 0.02f);
  const std::vector<float> bias = rng.f32(static_cast<size_t>(channels), -0.5f, 0.5f);
  const float lo = -2.0f, hi = 3.0f;
  const ap_hybrid_params p = hybrid_params(lo, hi, c.asymmetric, fs);

  std::vector<int8_t> q(in_n);
  std::vector<float> scales(static_cast<size_t>(batches));
  std::vector<int32_t> offsets(static_cast<size_t>(batches));
  std::vector<float> out(out_n);
  auto run = [&](const float* input, float* output) {
    int32_t* off = c.asymmetric ? offsets.data() : nullptr;
    if (c.kind == 0)
      ap_conv2d_hybrid(&s, &p, input, w.data(), bias.data(), q.data(), scales.data(), off, output);
    else if (c.kind == 1)
      ap_depthwise_conv2d_hybrid(&s, &p, input, w.data(), bias.data(), q.data(), scales.data(), off, output);
    else
      ap_fully_connected_hybrid(&c.fc, &p, input, w.data(), bias.data(), q.data(), scales.data(), off, output);
  };
  run(in.data(), out.data());

  // Expected scales, as the quantizers define them.
  const size_t per_batch = in_n / static_cast<size_t>(batches);
  for (int b = 0; b < batches; ++b) {
    const auto first = in.begin() + static_cast<std::ptrdiff_t>(per_batch * static_cast<size_t>(b));
    const auto [mn, mx] = std::minmax_element(first, first + static_cast<std::ptrdiff_t>(per_batch));
    if (c.asymmetric)
      EXPECT_NEAR(scales[static_cast<size_t>(b)], (std::max(0.0f, *mx) - std::min(0.0f, *mn)) / 255.0, 1e-7);
    else
      EXPECT_FLOAT_EQ(scales[static_cast<size_t>(b)], std::max(std::fabs(*mn), std::fabs(*mx)) / 127.0f);
  }

  // Dequantized weights; |weights| for the error bound; the quantized input back as reals.
  std::vector<double> wd(w_n), wabs(w_n), qd(in_n);
  auto channel_of = [&](size_t i) -> size_t {
    if (c.kind == 1) return i % static_cast<size_t>(s.out_c);
    const size_t per_channel = w_n / static_cast<size_t>(channels);
    return i / per_channel;
  };
  for (size_t i = 0; i < w_n; ++i) {
    wd[i] = static_cast<double>(w[i]) * fs[c.per_channel ? channel_of(i) : 0];
    wabs[i] = std::fabs(wd[i]);
  }
  for (size_t i = 0; i < in_n; ++i) {
    const size_t b = i / per_batch;
    qd[i] = (static_cast<double>(q[i]) - (c.asymmetric ? offsets[b] : 0)) * scales[b];
  }
  const std::vector<double> ind(in.begin(), in.end()), ones(in_n, 1.0), biasd(bias.begin(), bias.end());
  std::vector<double> want, want_q, bound;
  if (c.kind == 2) {
    auto fc = [&](const std::vector<double>& x, const std::vector<double>& wt, const std::vector<double>& bb) {
      std::vector<double> r(out_n);
      for (int b = 0; b < c.fc.batches; ++b)
        for (int o = 0; o < c.fc.out_depth; ++o) {
          double t = bb.empty() ? 0.0 : bb[static_cast<size_t>(o)];
          for (int d = 0; d < c.fc.in_depth; ++d)
            t += x[static_cast<size_t>(b * c.fc.in_depth + d)] * wt[static_cast<size_t>(o * c.fc.in_depth + d)];
          r[static_cast<size_t>(b * c.fc.out_depth + o)] = t;
        }
      return r;
    };
    want = fc(ind, wd, biasd);
    want_q = fc(qd, wd, biasd);
    bound = fc(ones, wabs, {});
  } else {
    want = brute_conv(s, c.kind == 1, ind, wd, biasd);
    want_q = brute_conv(s, c.kind == 1, qd, wd, biasd);
    bound = brute_conv(s, c.kind == 1, ones, wabs, {});
  }
  const size_t out_per_batch = out_n / static_cast<size_t>(batches);
  int inside = 0;
  for (size_t i = 0; i < out_n; ++i) {
    const double half_step = 0.5 * scales[i / out_per_batch];
    ASSERT_NEAR(out[i], std::clamp(want[i], double{lo}, double{hi}), bound[i] * half_step + 1e-5) << i;
    ASSERT_NEAR(out[i], std::clamp(want_q[i], double{lo}, double{hi}), 1e-5 * (1.0 + std::fabs(want_q[i]))) << i;
    inside += out[i] > lo && out[i] < hi;
  }
  EXPECT_GT(inside, static_cast<int>(out_n / 4));

  // In place: the output written over the input (a buffer big enough for either).
  std::vector<float> shared(std::max(in_n, out_n), 0.0f);
  std::copy(in.begin(), in.end(), shared.begin());
  run(shared.data(), shared.data());
  ASSERT_EQ(0, std::memcmp(shared.data(), out.data(), out_n * sizeof(float)));
}

TEST(Kernels, HybridConv2dMatchesFloatReference) {
  // Symmetric with one filter scale (EvalHybrid); asymmetric with per-channel scales
  // (EvalHybridPerChannel). Output larger than the input, smaller, with padding, stride,
  // dilation and two batches.
  check_hybrid({"conv symmetric per-tensor", 0, conv_shape(7, 6, 3, 8, 3, 3, 1, 1, 1, 1, 2), {}, false, false}, 11);
  check_hybrid({"conv asymmetric per-channel", 0, conv_shape(9, 8, 5, 3, 3, 2, 2, 2, 2, 1, 2), {}, true, true}, 12);
  check_hybrid({"conv 1x1 symmetric", 0, conv_shape(5, 5, 16, 16, 1, 1, 1, 1, 0), {}, false, false}, 13);
  check_hybrid({"conv 1x1 asymmetric per-tensor", 0, conv_shape(5, 5, 16, 4, 1, 1, 1, 1, 0), {}, true, false}, 14);
}

TEST(Kernels, HybridDepthwiseConv2dMatchesFloatReference) {
  check_hybrid({"depthwise asymmetric per-channel", 1, conv_shape(7, 6, 3, 6, 3, 3, 2, 2, 2, 2, 2), {}, true, true},
               21);
  check_hybrid({"depthwise 3x3 same", 1, conv_shape(6, 5, 8, 8, 3, 3, 1, 1, 1), {}, true, true}, 22);
  check_hybrid({"depthwise symmetric per-tensor", 1, conv_shape(6, 5, 4, 8, 3, 3, 1, 1, 1, 2), {}, false, false}, 23);
}

TEST(Kernels, HybridFullyConnectedMatchesFloatReference) {
  check_hybrid({"fc symmetric per-tensor", 2, {}, {3, 20, 7}, false, false}, 31);
  check_hybrid({"fc asymmetric per-channel", 2, {}, {2, 16, 40}, true, true}, 32);
  check_hybrid({"fc asymmetric per-tensor, one output", 2, {}, {4, 33, 1}, true, false}, 33);
}

// ---------------------------------------------------------------------------------------------
// ADD
// ---------------------------------------------------------------------------------------------

// Parameters as TFLite's PrepareGeneralSubOp/Add computes them (left shift 20, both inputs
// rescaled to twice the larger input scale, then to the output scale).
ap_add_quant add_params(double s1, int32_t zp1, double s2, int32_t zp2, double so, int32_t zpo) {
  ap_add_quant q{};
  q.left_shift = 20;
  const double twice_max = 2.0 * std::max(s1, s2);
  quantize_multiplier(s1 / twice_max, &q.input1_multiplier, &q.input1_shift);
  quantize_multiplier(s2 / twice_max, &q.input2_multiplier, &q.input2_shift);
  quantize_multiplier(twice_max / ((1 << 20) * so), &q.output_multiplier, &q.output_shift);
  q.input1_offset = -zp1;
  q.input2_offset = -zp2;
  q.output_offset = zpo;
  q.act_min = -128;
  q.act_max = 127;
  return q;
}

TEST(Kernels, AddS8ByHand) {
  // input1 scale 0.5 zp 0, input2 scale 0.25 zp 2, output scale 1 zp 3.
  ap_add_quant q = add_params(0.5, 0, 0.25, 2, 1.0, 3);
  // 0.5 / 1.0 -> 2^30 * 2^0; 0.25 -> 2^30 * 2^-1; 1 / 2^20 -> 2^30 * 2^-19.
  EXPECT_EQ(q.input1_multiplier, 1 << 30);
  EXPECT_EQ(q.input1_shift, 0);
  EXPECT_EQ(q.input2_multiplier, 1 << 30);
  EXPECT_EQ(q.input2_shift, -1);
  EXPECT_EQ(q.output_multiplier, 1 << 30);
  EXPECT_EQ(q.output_shift, -19);
  const int8_t a[] = {10, 3, -3, -1, 1, 127, -128};
  const int8_t b[] = {6, 3, 1, 2, 2, 127, -128};
  // real sums: 5+1=6, 1.5+0.25=1.75, -1.5-0.25=-1.75, -0.5+0 (tie), 0.5+0 (tie),
  //            63.5+31.25=94.75, -64-32.5=-96.5 (tie); rounded half away from zero, + 3.
  const int8_t expected[] = {9, 5, 1, 2, 4, 98, -94};
  int8_t out[7];
  ap_add_s8(7, &q, a, b, out);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(out[i], expected[i]) << i;
  q.act_max = 90;
  q.act_min = -3;
  ap_add_s8(7, &q, a, b, out);
  EXPECT_EQ(out[5], 90);
  EXPECT_EQ(out[6], -3);
  // In place.
  int8_t inplace[7];
  std::memcpy(inplace, a, sizeof inplace);
  q.act_min = -128;
  q.act_max = 127;
  ap_add_s8(7, &q, inplace, b, inplace);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(inplace[i], expected[i]) << i;
}

TEST(Kernels, AddS8CloseToRealSum) {
  const ap_add_quant q = add_params(0.031, -5, 0.07, 9, 0.09, -2);
  int8_t a[256], b[256], out[256];
  for (int i = 0; i < 256; ++i) {
    a[i] = static_cast<int8_t>(i - 128);
    b[i] = static_cast<int8_t>((i * 37) % 256 - 128);
  }
  ap_add_s8(256, &q, a, b, out);
  for (int i = 0; i < 256; ++i) {
    const double real = 0.031 * (a[i] + 5) + 0.07 * (b[i] - 9);
    const double want = std::clamp(std::round(real / 0.09) - 2, -128.0, 127.0);
    ASSERT_NEAR(out[i], want, 1.0) << i;
  }
}

TEST(Kernels, AddF32) {
  const float a[3] = {1.5f, -2.0f, 10.0f}, b[3] = {0.25f, 1.0f, -4.0f};
  float out[3];
  ap_add_f32(3, -0.5f, 5.0f, a, b, out);
  EXPECT_FLOAT_EQ(out[0], 1.75f);
  EXPECT_FLOAT_EQ(out[1], -0.5f);
  EXPECT_FLOAT_EQ(out[2], 5.0f);
}

// ---------------------------------------------------------------------------------------------
// AVERAGE_POOL_2D / MAX_POOL_2D
// ---------------------------------------------------------------------------------------------

ap_pool_shape pool_shape(int in_h, int in_w, int depth, int f, int stride, int pad) {
  ap_pool_shape s{};
  s.batches = 1;
  s.in_h = in_h;
  s.in_w = in_w;
  s.depth = depth;
  s.filter_h = s.filter_w = f;
  s.stride_h = s.stride_w = stride;
  s.pad_h = s.pad_w = pad;
  s.out_h = (in_h + 2 * pad - f) / stride + 1;
  s.out_w = (in_w + 2 * pad - f) / stride + 1;
  return s;
}

TEST(Kernels, AveragePoolS8RoundsHalfAwayFromZero) {
  // One 2x2 window, five channels (NHWC: the channel varies fastest).
  const ap_pool_shape s = pool_shape(2, 2, 5, 2, 2, 0);
  const int8_t window[5][4] = {
      {-1, -2, -2, -2},  // -7/4 = -1.75 -> -2
      {-1, -1, -2, -2},  // -1.5 -> -2
      {1, 1, 2, 2},      // 1.5 -> 2
      {-1, -1, -1, -2},  // -1.25 -> -1
      {1, 1, 1, 2},      // 1.25 -> 1
  };
  int8_t in[20];
  for (int c = 0; c < 5; ++c)
    for (int p = 0; p < 4; ++p) in[p * 5 + c] = window[c][p];
  int8_t out[5];
  ap_average_pool_s8(&s, -128, 127, in, out);
  const int8_t expected[5] = {-2, -2, 2, -1, 1};
  for (int c = 0; c < 5; ++c) EXPECT_EQ(out[c], expected[c]) << c;
}

TEST(Kernels, AveragePoolCountsOnlyInBoundsInputs) {
  const ap_pool_shape s = pool_shape(3, 3, 1, 3, 1, 1);
  ASSERT_EQ(s.out_h, 3);
  const int8_t in[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  int8_t out[9];
  ap_average_pool_s8(&s, -128, 127, in, out);
  EXPECT_EQ(out[0], 3);  // (1+2+4+5)/4
  EXPECT_EQ(out[1], 4);  // 21/6 = 3.5 -> 4
  EXPECT_EQ(out[4], 5);  // 45/9
  EXPECT_EQ(out[8], 7);  // (5+6+8+9)/4
  ap_average_pool_s8(&s, -128, 4, in, out);
  EXPECT_EQ(out[4], 4);  // clamped
  float inf[9], outf[9];
  for (int i = 0; i < 9; ++i) inf[i] = static_cast<float>(in[i]);
  ap_average_pool_f32(&s, -100.0f, 100.0f, inf, outf);
  EXPECT_FLOAT_EQ(outf[0], 3.0f);
  EXPECT_FLOAT_EQ(outf[1], 3.5f);
  EXPECT_FLOAT_EQ(outf[4], 5.0f);
  EXPECT_FLOAT_EQ(outf[7], 6.5f);  // (4+5+6+7+8+9)/6
}

TEST(Kernels, MaxPoolIgnoresPadding) {
  // All inputs negative: padding must not contribute a 0.
  const ap_pool_shape s = pool_shape(3, 3, 1, 3, 1, 1);
  int8_t in[9];
  float inf[9];
  for (int i = 0; i < 9; ++i) {
    in[i] = static_cast<int8_t>(-10 - i);
    inf[i] = static_cast<float>(in[i]);
  }
  int8_t out[9];
  ap_max_pool_s8(&s, -128, 127, in, out);
  EXPECT_EQ(out[0], -10);
  EXPECT_EQ(out[2], -11);
  EXPECT_EQ(out[8], -14);  // max(-14, -15, -17, -18)
  ap_max_pool_s8(&s, -12, 127, in, out);
  EXPECT_EQ(out[8], -12);  // clamped to act_min
  float outf[9];
  ap_max_pool_f32(&s, -1000.0f, 1000.0f, inf, outf);
  EXPECT_FLOAT_EQ(outf[0], -10.0f);
  EXPECT_FLOAT_EQ(outf[8], -14.0f);
  ap_max_pool_f32(&s, 0.0f, 6.0f, inf, outf);
  EXPECT_FLOAT_EQ(outf[4], 0.0f);
  // Stride 2 without padding, two channels.
  const ap_pool_shape s2 = pool_shape(4, 4, 2, 2, 2, 0);
  int8_t in2[32], out2[8];
  for (int i = 0; i < 32; ++i) in2[i] = static_cast<int8_t>((i * 29) % 64 - 32);
  ap_max_pool_s8(&s2, -128, 127, in2, out2);
  for (int oy = 0; oy < 2; ++oy)
    for (int ox = 0; ox < 2; ++ox)
      for (int c = 0; c < 2; ++c) {
        int want = -128;
        for (int dy = 0; dy < 2; ++dy)
          for (int dx = 0; dx < 2; ++dx) want = std::max<int>(want, in2[((oy * 2 + dy) * 4 + ox * 2 + dx) * 2 + c]);
        EXPECT_EQ(out2[(oy * 2 + ox) * 2 + c], want);
      }
}

// ---------------------------------------------------------------------------------------------
// SOFTMAX
// ---------------------------------------------------------------------------------------------

// TFLite's PreprocessSoftmaxScaling (5 integer bits) and CalculateInputRadius.
struct SoftmaxParams {
  int32_t multiplier, left_shift, diff_min;
};

SoftmaxParams softmax_params(double beta, double input_scale) {
  SoftmaxParams p{};
  const double real = std::min(beta * input_scale * (1 << 26), 2147483647.0);
  quantize_multiplier(real, &p.multiplier, &p.left_shift);
  const double radius = 31.0 * std::ldexp(1.0, 26) / std::ldexp(1.0, p.left_shift);
  p.diff_min = -static_cast<int32_t>(std::floor(radius));
  return p;
}

TEST(Kernels, SoftmaxS8EqualRowsByHand) {
  const SoftmaxParams p = softmax_params(1.0, 0.1);
  EXPECT_EQ(p.left_shift, 23);
  EXPECT_EQ(p.diff_min, -248);
  const struct {
    int depth;
    int expected;
  } cases[] = {
      {1, 127},      // 256 - 128, clamped
      {2, 0},        // 128 - 128
      {4, -64},      // 64 - 128
      {256, -127},   // 1 - 128
      {1000, -128},  // 0.256 -> 0 (TFLite shifts by 32 here: undefined in C++)
  };
  for (const auto& c : cases) {
    std::vector<int8_t> in(static_cast<size_t>(c.depth), 17), out(static_cast<size_t>(c.depth));
    ap_softmax_s8(1, c.depth, p.multiplier, p.left_shift, p.diff_min, in.data(), out.data());
    for (int8_t v : out) ASSERT_EQ(v, c.expected) << "depth " << c.depth;
  }
}

TEST(Kernels, SoftmaxS8DiffMinAndDominantValue) {
  const SoftmaxParams p = softmax_params(1.0, 1.0);
  EXPECT_EQ(p.multiplier, 1 << 30);
  EXPECT_EQ(p.left_shift, 27);
  EXPECT_EQ(p.diff_min, -15);
  const int8_t in[6] = {0, -20, 0, 100, 80, 100};
  int8_t out[6];
  ap_softmax_s8(2, 3, p.multiplier, p.left_shift, p.diff_min, in, out);
  EXPECT_EQ(out[0], 0);     // 1 / (2 + e^-20) = 0.5 -> 128 - 128
  EXPECT_EQ(out[1], -128);  // below diff_min
  EXPECT_EQ(out[2], 0);
  EXPECT_EQ(out[3], 0);
  EXPECT_EQ(out[4], -128);
  EXPECT_EQ(out[5], 0);
  const int8_t one_hot[3] = {127, -128, -100};
  ap_softmax_s8(1, 3, p.multiplier, p.left_shift, p.diff_min, one_hot, out);
  EXPECT_EQ(out[0], 127);
  EXPECT_EQ(out[1], -128);
  EXPECT_EQ(out[2], -128);
}

TEST(Kernels, SoftmaxS8MatchesFloatSoftmax) {
  Rng rng(99);
  const double scales[] = {0.02, 0.0625, 0.1, 0.25, 0.5};
  int max_error = 0;
  for (double scale : scales) {
    const SoftmaxParams p = softmax_params(1.0, scale);
    for (int trial = 0; trial < 40; ++trial) {
      const int depth = rng.uniform(2, 40), outer = rng.uniform(1, 3);
      const size_t n = static_cast<size_t>(depth * outer);
      std::vector<int8_t> in = rng.s8(n, -128, rng.uniform(-100, 127)), out(n), inplace = in;
      ap_softmax_s8(outer, depth, p.multiplier, p.left_shift, p.diff_min, in.data(), out.data());
      ap_softmax_s8(outer, depth, p.multiplier, p.left_shift, p.diff_min, inplace.data(), inplace.data());
      ASSERT_EQ(inplace, out);
      for (int r = 0; r < outer; ++r) {
        const int8_t* row = in.data() + r * depth;
        const int8_t mx = *std::max_element(row, row + depth);
        double sum = 0;
        for (int c = 0; c < depth; ++c) sum += std::exp(scale * (row[c] - mx));
        int total = 0;
        for (int c = 0; c < depth; ++c) {
          const double prob = std::exp(scale * (row[c] - mx)) / sum;
          const int want = std::clamp(static_cast<int>(std::lround(prob * 256.0)) - 128, -128, 127);
          const int got = out[static_cast<size_t>(r * depth + c)];
          max_error = std::max(max_error, std::abs(got - want));
          ASSERT_LE(std::abs(got - want), 1) << "scale " << scale << " depth " << depth << " prob " << prob;
          total += got + 128;
        }
        // The outputs are probabilities in 1/256: they add up to about 256.
        if (*std::max_element(out.begin() + r * depth, out.begin() + (r + 1) * depth) < 127) {
          ASSERT_NEAR(total, 256, depth / 2 + 2);
        }
      }
    }
  }
  EXPECT_LE(max_error, 1);
}

// Bit-exact outputs computed once with gemmlowp's own fixedpoint.h (Debian's libgemmlowp-dev)
// driving TFLite's reference softmax loop; parameters as softmax_params(1, scale). The first three
// rows are ones where a less exact reciprocal (two Newton-Raphson steps instead of three) differs.
TEST(Kernels, SoftmaxS8BitExactAgainstGemmlowp) {
  struct Row {
    int32_t multiplier, left_shift, diff_min, depth;
    std::vector<int> in, out;
  };
  const Row rows[] = {
      {1167538518,
       26,
       -31,
       15,
       {-57, 102, 127, 77, -17, 119, -24, 59, 94, -76, 101, 63, 56, -78, -82},
       {-128, -128, 125, -128, -128, -125, -128, -128, -128, -128, -128, -128, -128, -128, -128}},  // scale 0.543677
      {1266941755,
       26,
       -31,
       10,
       {69, -36, -43, -66, -91, -8, 107, 10, 69, 26},
       {-128, -128, -128, -128, -128, -128, 127, -128, -128, -128}},  // scale 0.589966
      {1192940489,
       24,
       -124,
       16,
       {69, 56, 83, 110, 103, 87, 52, 63, 108, 102, 45, 64, 107, 94, 72, 115},
       {-128, -128, -127, -80, -110, -126, -128, -128, -91, -112, -128, -128, -96, -123, -128, -31}},  // 0.138877
      {1110854987,
       22,
       -496,
       16,
       {-33, 108, 65, 3, 121, 109, 41, -15, 51, -22, 64, 118, -24, -40, -4, 20},
       {-128, -84, -117, -127, -62, -83, -123, -127, -121, -127, -118, -68, -127, -128, -127, -125}},  // 0.0323301
      {1398324223,
       21,
       -992,
       11,
       {-7, 19, 41, 35, 99, 21, 67, 73, 127, 33, 16},
       {-123, -119, -113, -115, -81, -118, -103, -100, -44, -116, -119}},  // scale 0.0203483
  };
  for (const Row& r : rows) {
    std::vector<int8_t> in(r.in.begin(), r.in.end()), out(in.size());
    ap_softmax_s8(1, r.depth, r.multiplier, r.left_shift, r.diff_min, in.data(), out.data());
    EXPECT_EQ(std::vector<int>(out.begin(), out.end()), r.out) << "multiplier " << r.multiplier;
  }
}

TEST(Kernels, SoftmaxF32) {
  const float in[8] = {1.0f, 2.0f, 3.0f, 4.0f, -1.0f, -1.0f, -1.0f, 5.0f};
  float out[8];
  ap_softmax_f32(2, 4, 0.5f, in, out);
  for (int r = 0; r < 2; ++r) {
    double sum = 0;
    for (int c = 0; c < 4; ++c) sum += std::exp(0.5 * in[r * 4 + c]);
    double total = 0;
    for (int c = 0; c < 4; ++c) {
      EXPECT_NEAR(out[r * 4 + c], std::exp(0.5 * in[r * 4 + c]) / sum, 1e-6);
      total += out[r * 4 + c];
    }
    EXPECT_NEAR(total, 1.0, 1e-6);
  }
}

// ---------------------------------------------------------------------------------------------
// QUANTIZE / DEQUANTIZE / copy
// ---------------------------------------------------------------------------------------------

TEST(Kernels, QuantizeRoundsHalfAwayFromZeroAndClamps) {
  const float in[7] = {1.25f, -1.25f, 0.74f, 1000.0f, -1000.0f, std::numeric_limits<float>::quiet_NaN(), 0.0f};
  int8_t out[7];
  ap_quantize_f32_s8(7, 0.5f, -3, in, out);
  EXPECT_EQ(out[0], 0);   // 2.5 -> 3, -3
  EXPECT_EQ(out[1], -6);  // -2.5 -> -3, -3
  EXPECT_EQ(out[2], -2);  // 1.48 -> 1
  EXPECT_EQ(out[3], 127);
  EXPECT_EQ(out[4], -128);
  EXPECT_EQ(out[5], -3);  // NaN: the zero point
  EXPECT_EQ(out[6], -3);
}

TEST(Kernels, QuantizeDequantizeRoundTrip) {
  const float scale = 0.0173f;
  const int32_t zp = 11;
  int8_t q[256], back[256];
  float real[256];
  for (int i = 0; i < 256; ++i) q[i] = static_cast<int8_t>(i - 128);
  ap_dequantize_s8_f32(256, scale, zp, q, real);
  for (int i = 0; i < 256; ++i) ASSERT_EQ(real[i], static_cast<float>(static_cast<double>(scale) * (q[i] - zp))) << i;
  EXPECT_FLOAT_EQ(real[128 + 11], 0.0f);
  ap_quantize_f32_s8(256, scale, zp, real, back);
  for (int i = 0; i < 256; ++i) ASSERT_EQ(back[i], q[i]) << i;
}

TEST(Kernels, RequantizeByHand) {
  const int8_t in[3] = {10, -128, 127};
  int8_t out[3];
  ap_requantize_s8(3, -2, 3 << 29, 0, 5, in, out);  // x0.75
  EXPECT_EQ(out[0], 11);                            // 8 * 0.75 = 6, +5
  EXPECT_EQ(out[1], -92);                           // -130 * 0.75 = -97.5 -> -97 (tie toward +infinity), +5
  EXPECT_EQ(out[2], 99);                            // 125 * 0.75 = 93.75 -> 94, +5
  ap_requantize_s8(3, -2, 1 << 30, 2, 5, in, out);  // x2
  EXPECT_EQ(out[0], 21);
  EXPECT_EQ(out[1], -128);
  EXPECT_EQ(out[2], 127);
  int8_t inplace[3] = {10, -128, 127};
  ap_requantize_s8(3, -2, 3 << 29, 0, 5, inplace, inplace);
  EXPECT_EQ(inplace[0], 11);
  EXPECT_EQ(inplace[1], -92);
  EXPECT_EQ(inplace[2], 99);
}

TEST(Kernels, CopyIsMemmove) {
  char buf[9] = "abcdefgh";
  ap_copy(5, buf, buf + 2);
  EXPECT_STREQ(buf, "ababcdeh");
  ap_copy(5, buf + 2, buf);
  EXPECT_STREQ(buf, "abcdedeh");
  ap_copy(8, buf, buf);
  EXPECT_STREQ(buf, "abcdedeh");
  char dst[4] = "xyz";
  ap_copy(0, buf, dst);
  EXPECT_STREQ(dst, "xyz");
  ap_copy(3, buf, dst);
  EXPECT_STREQ(dst, "abc");
}

}  // namespace
