// The data-movement, reduction and int16 element-wise kernels (runtime/kernels_shape.c,
// runtime/kernels_elementwise.c) against values worked out by hand. Every output sits between
// guard bytes that must stay untouched.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "arenaplan_kernels.h"

namespace {

// An output of n elements of T with 16 guard bytes of 0x5a on each side.
template <typename T>
class Guarded {
 public:
  explicit Guarded(std::size_t n) : bytes_(n * sizeof(T) + 2 * kGuard, 0x5a), n_(n) {}
  T* data() { return reinterpret_cast<T*>(bytes_.data() + kGuard); }
  std::vector<T> values() {
    std::vector<T> v(n_);
    std::memcpy(v.data(), data(), n_ * sizeof(T));
    return v;
  }
  bool guards_intact() const {
    for (std::size_t i = 0; i < kGuard; ++i)
      if (bytes_[i] != 0x5a || bytes_[bytes_.size() - 1 - i] != 0x5a) return false;
    return true;
  }

 private:
  static constexpr std::size_t kGuard = 16;
  std::vector<std::uint8_t> bytes_;
  std::size_t n_;
};

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
