// The depthwise kernels with their halo in a ring (ap_depthwise_conv2d_*_ring): the same values
// as the plain kernels with the output on the input or anywhere below it, no byte written outside
// the ring the profile declares (kernels::depthwise_ring_pixels), every declared ring byte used,
// and a clobbered value one element above the input.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "arenaplan_kernels.h"
#include "kernels/overlap_distance.h"

namespace {

struct Shape {
  const char* what;
  int in_h, in_w, in_c, filter, stride, dilation, pad, batches;
};

ap_conv_shape shape_of(const Shape& c) {
  ap_conv_shape s{};
  s.batches = c.batches;
  s.in_h = c.in_h;
  s.in_w = c.in_w;
  s.in_c = s.out_c = c.in_c;
  s.filter_h = s.filter_w = c.filter;
  s.stride_h = s.stride_w = c.stride;
  s.dilation_h = s.dilation_w = c.dilation;
  s.pad_h = s.pad_w = c.pad;
  s.depth_multiplier = 1;
  const int reach = (c.filter - 1) * c.dilation + 1;
  s.out_h = (c.in_h + 2 * c.pad - reach) / c.stride + 1;
  s.out_w = (c.in_w + 2 * c.pad - reach) / c.stride + 1;
  return s;
}

std::int64_t ring_pixels(const ap_conv_shape& s) {
  arenaplan::kernels::WindowGeometry g;
  g.batches = s.batches;
  g.in_h = s.in_h;
  g.in_w = s.in_w;
  g.in_c = s.in_c;
  g.out_h = s.out_h;
  g.out_w = s.out_w;
  g.out_c = s.out_c;
  g.filter_h = s.filter_h;
  g.filter_w = s.filter_w;
  g.stride_h = s.stride_h;
  g.stride_w = s.stride_w;
  g.dilation_h = s.dilation_h;
  g.dilation_w = s.dilation_w;
  g.pad_h = s.pad_h;
  g.pad_w = s.pad_w;
  return arenaplan::kernels::depthwise_ring_pixels(g);
}

const Shape kShapes[] = {
    {"3x3 stride 1 same (KWS)", 6, 5, 8, 3, 1, 1, 1, 1},
    {"5x5 stride 1 same", 7, 6, 3, 5, 1, 1, 2, 1},
    {"3x3 stride 2", 9, 8, 4, 3, 2, 1, 1, 1},
    {"3x3 dilation 2", 8, 7, 3, 3, 1, 2, 2, 1},
    {"3x3 valid", 6, 6, 5, 3, 1, 1, 0, 1},
    {"3x3 same, 2 batches", 5, 4, 3, 3, 1, 1, 1, 2},
};

constexpr int kGuard = 64;

// One run of T's ring kernel with the input `below` elements above the output's start (-1: the
// output one element above the input); returns the output, and checks the ring's guard and that
// its last slot was written.
template <typename T, typename Run>
std::vector<T> run_ring(const ap_conv_shape& s, const std::vector<T>& input, std::int64_t below, Run run) {
  const std::size_t n = input.size();
  const std::size_t ring_n = static_cast<std::size_t>(ring_pixels(s) * s.in_c);
  std::vector<T> last_slot[2];
  std::vector<T> result;
  for (int poison = 0; poison < 2; ++poison) {
    std::vector<T> memory(n + static_cast<std::size_t>(below < 0 ? 1 : below) + 1, T(0));
    const std::size_t x = below < 0 ? 0 : static_cast<std::size_t>(below), y = below < 0 ? 1 : 0;
    std::copy(input.begin(), input.end(), memory.begin() + static_cast<std::ptrdiff_t>(x));
    std::vector<T> ring(ring_n + kGuard, T(poison ? 0x5a : 0x25));
    run(memory.data() + x, ring.data(), memory.data() + y);
    for (int g = 0; g < kGuard; ++g) EXPECT_EQ(ring[ring_n + static_cast<std::size_t>(g)], T(poison ? 0x5a : 0x25));
    if (ring_n > 0) last_slot[poison].assign(ring.end() - kGuard - s.in_c, ring.end() - kGuard);
    result.assign(memory.begin() + static_cast<std::ptrdiff_t>(y),
                  memory.begin() + static_cast<std::ptrdiff_t>(y) + s.batches * s.out_h * s.out_w * s.out_c);
  }
  EXPECT_EQ(last_slot[0], last_slot[1]) << "the declared ring is larger than the kernel uses";
  return result;
}

TEST(KernelsRing, DepthwiseS8OnAndBelowItsInput) {
  std::mt19937 rng(14);
  std::uniform_int_distribution<int> value(-128, 127), shift(-8, -1);
  for (const Shape& c : kShapes) {
    SCOPED_TRACE(c.what);
    const ap_conv_shape s = shape_of(c);
    const std::size_t n = static_cast<std::size_t>(s.batches * s.in_h * s.in_w * s.in_c);
    std::vector<int8_t> input(n), filter(static_cast<std::size_t>(s.filter_h * s.filter_w * s.out_c));
    for (auto& v : input) v = static_cast<int8_t>(value(rng));
    for (auto& v : filter) v = static_cast<int8_t>(value(rng));
    std::vector<int32_t> bias(static_cast<std::size_t>(s.out_c)), mult(bias.size(), 1 << 30), shifts(bias.size());
    for (auto& v : bias) v = value(rng) * 50;
    for (auto& v : shifts) v = shift(rng);
    const ap_conv_quant q{7, -3, -128, 127, mult.data(), shifts.data()};
    std::vector<int8_t> want(static_cast<std::size_t>(s.batches * s.out_h * s.out_w * s.out_c));
    ap_depthwise_conv2d_s8(&s, &q, input.data(), filter.data(), bias.data(), want.data());
    auto run = [&](const int8_t* in, int8_t* ring, int8_t* out) {
      ap_depthwise_conv2d_s8_ring(&s, &q, in, filter.data(), bias.data(), ring, out);
    };
    for (std::int64_t below : {std::int64_t{0}, std::int64_t{1}, std::int64_t{s.in_c - 1}, std::int64_t{s.in_c},
                               static_cast<std::int64_t>(n / 2), static_cast<std::int64_t>(n)})
      EXPECT_EQ(run_ring(s, input, below, run), want) << below << " bytes below";
    if (ring_pixels(s) > 0) { EXPECT_NE(run_ring(s, input, -1, run), want) << "one element above the input"; }
  }
}

TEST(KernelsRing, DepthwiseF32OnAndBelowItsInput) {
  std::mt19937 rng(15);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  for (const Shape& c : kShapes) {
    SCOPED_TRACE(c.what);
    const ap_conv_shape s = shape_of(c);
    const std::size_t n = static_cast<std::size_t>(s.batches * s.in_h * s.in_w * s.in_c);
    std::vector<float> input(n), filter(static_cast<std::size_t>(s.filter_h * s.filter_w * s.out_c)),
        bias(static_cast<std::size_t>(s.out_c));
    for (auto* v : {&input, &filter, &bias})
      for (float& x : *v) x = value(rng);
    std::vector<float> want(static_cast<std::size_t>(s.batches * s.out_h * s.out_w * s.out_c));
    ap_depthwise_conv2d_f32(&s, -1.0f, 1.5f, input.data(), filter.data(), bias.data(), want.data());
    auto run = [&](const float* in, float* ring, float* out) {
      ap_depthwise_conv2d_f32_ring(&s, -1.0f, 1.5f, in, filter.data(), bias.data(), ring, out);
    };
    for (std::int64_t below : {std::int64_t{0}, std::int64_t{1}, std::int64_t{s.in_c}, static_cast<std::int64_t>(n)})
      EXPECT_EQ(run_ring(s, input, below, run), want) << below << " elements below";
    if (ring_pixels(s) > 0) { EXPECT_NE(run_ring(s, input, -1, run), want) << "one element above the input"; }
  }
}

TEST(KernelsRing, ProfileAndRuntimeAgreeOnTheLargestFilter) {
  EXPECT_EQ(arenaplan::kernels::kDepthwiseRingMaxTaps, AP_DEPTHWISE_RING_MAX_TAPS);
}

// The ring is the halo: W + 1 pixels for 3x3 stride 1 same, none at stride 2 (the window never
// reaches below its own output pixel there).
TEST(KernelsRing, RingPixels) {
  EXPECT_EQ(ring_pixels(shape_of(kShapes[0])), 5 + 1);
  EXPECT_EQ(ring_pixels(shape_of(kShapes[1])), 2 * 6 + 2);
  EXPECT_EQ(ring_pixels(shape_of(kShapes[2])), 0);
}

}  // namespace
