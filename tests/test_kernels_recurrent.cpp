// SVDF and UNIDIRECTIONAL_SEQUENCE_LSTM (runtime/kernels_svdf.c, kernels_lstm.c) and the int16
// SOFTMAX output against values worked out by hand, on tiny shapes, over two invocations (the
// state carries over); every output and state between guard bytes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "arenaplan_kernels.h"
#include "guarded.h"

namespace {

using arenaplan::test::Guarded;

constexpr std::int32_t kOne = 1 << 30;  // with shift 1: a multiplier of exactly 1.0

ap_svdf_params svdf_params(std::int32_t filters, std::int32_t memory, std::int32_t input_size) {
  ap_svdf_params p{};
  p.batches = 1;
  p.input_size = input_size;
  p.filters = filters;
  p.memory = memory;
  p.rank = 1;
  p.feature_multiplier = p.output_multiplier = kOne;
  p.feature_shift = p.output_shift = 1;
  return p;
}

// Two filters of memory 2 (state f0: [old, new], f1: [old, new]), input zero point 1, output
// zero point -2. Run 1: (x - 1) = (2, 4); features 1*2 + 2*4 = 10 and -2 + 4 = 2 -> state
// (0 10 0 2); time dots 10*3 = 30 and 2*-1 = -2, + bias (5, -4) - 2 = (33, -8). Run 2: (0, 1) ->
// features 2 and 1; the state shifts left by one element (0 10 0 2 -> 10 0 2 2), the newest
// entries become (10 2 2 1); dots 10 + 2*3 = 16 and 2*2 - 1 = 3 -> (19, -3).
TEST(KernelsSvdf, Int16StateShiftsAndCarriesOver) {
  ap_svdf_params p = svdf_params(2, 2, 2);
  p.input_zero_point = 1;
  p.output_zero_point = -2;
  const std::int8_t feature[4] = {1, 2, -1, 1};
  const std::int16_t time[4] = {1, 3, 2, -1};
  const std::int32_t bias[2] = {5, -4};
  Guarded<std::int16_t> state(4);
  std::fill(state.data(), state.data() + 4, std::int16_t{0});
  Guarded<std::int8_t> out(2);
  const std::int8_t run1[2] = {3, 5}, run2[2] = {1, 2};
  ap_svdf_s8(&p, run1, feature, time, bias, state.data(), out.data());
  EXPECT_EQ(state.values(), (std::vector<std::int16_t>{0, 10, 0, 2}));
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{33, -8}));
  ap_svdf_s8(&p, run2, feature, time, bias, state.data(), out.data());
  EXPECT_EQ(state.values(), (std::vector<std::int16_t>{10, 2, 2, 1}));
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{19, -3}));
  // Run 3, no bias, an output multiplier of 512: state (2 2 1 1), dots 8 and 1 saturate at 127.
  p.output_shift = 10;
  ap_svdf_s8(&p, run2, feature, time, nullptr, state.data(), out.data());
  EXPECT_EQ(state.values(), (std::vector<std::int16_t>{2, 2, 1, 1}));
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{127, 127}));
  EXPECT_TRUE(state.guards_intact());
  EXPECT_TRUE(out.guards_intact());
}

// int8 state with zero point -50: the feature is clamped to int8 first, then the zero point is
// added and the value wraps (TFLite Micro at the golden commit): -100 -> -150 -> 106; 200 -> 127
// -> 77. The time dot subtracts the zero point again: 1 * (106 + 50) = 156 -> saturates at 127.
TEST(KernelsSvdf, Int8StateClampsThenAddsTheZeroPointAndWraps) {
  ap_svdf_params p = svdf_params(1, 1, 1);
  p.state_int8 = 1;
  p.state_zero_point = -50;
  const std::int8_t feature[1] = {1}, time[1] = {1};
  Guarded<std::int8_t> state(1), out(1);
  state.data()[0] = -50;
  const std::int8_t low[1] = {-100}, high[1] = {100};
  ap_svdf_s8(&p, low, feature, time, nullptr, state.data(), out.data());
  EXPECT_EQ(state.values()[0], 106);
  EXPECT_EQ(out.values()[0], 127);
  p.feature_shift = 2;  // x 2: 200, clamped to 127, + -50
  ap_svdf_s8(&p, high, feature, time, nullptr, state.data(), out.data());
  EXPECT_EQ(state.values()[0], 77);
  EXPECT_EQ(out.values()[0], 127);  // 77 + 50
  EXPECT_TRUE(state.guards_intact());
  EXPECT_TRUE(out.guards_intact());
}

// Rank 2: one unit sums two filters' time dots. float32 with a RELU range.
TEST(KernelsSvdf, Float32RankTwoAndActivationRange) {
  ap_svdf_params p = svdf_params(2, 2, 1);
  p.rank = 2;
  const float feature[2] = {0.5f, -2.0f}, time[4] = {1.0f, 4.0f, 1.0f, 0.25f}, bias[1] = {1.0f};
  Guarded<float> state(4), out(1);
  std::fill(state.data(), state.data() + 4, 0.0f);
  const float x[1] = {2.0f};
  // Features 1 and -4; dots 1 * 4 = 4 and -4 * 0.25 = -1; 1 + 4 - 1 = 4.
  ap_svdf_f32(&p, 0.0f, 1e30f, x, feature, time, bias, state.data(), out.data());
  EXPECT_EQ(state.values(), (std::vector<float>{0.0f, 1.0f, 0.0f, -4.0f}));
  EXPECT_EQ(out.values()[0], 4.0f);
  // x = -2: features -1 and 4, the state shifts to (1 0 -4 -4) and becomes (1 -1 -4 4); dots
  // 1 - 4 = -3 and -4 + 1 = -3; 1 - 6 = -5 -> RELU 0.
  const float y[1] = {-2.0f};
  ap_svdf_f32(&p, 0.0f, 1e30f, y, feature, time, bias, state.data(), out.data());
  EXPECT_EQ(state.values(), (std::vector<float>{1.0f, -1.0f, -4.0f, 4.0f}));
  EXPECT_EQ(out.values()[0], 0.0f);
  EXPECT_TRUE(state.guards_intact());
  EXPECT_TRUE(out.guards_intact());
}

// ---- LSTM -------------------------------------------------------------------------------------

// A state of `n` elements, one input, every gate multiplier 1.0, the cell scale 2^-12 (tanh
// multiplier 3, no shift): forget x cell rescaled by 2^-15, input x cell gate by 2^-18, tanh(cell)
// x output gate by `hidden_shift`.
ap_lstm_quant lstm_quant(std::int32_t hidden_shift) {
  ap_lstm_quant q{};
  for (ap_lstm_gate_quant& g : q.gate) g = {kOne, 1, kOne, 1};
  q.forget_cell_multiplier = q.input_cell_multiplier = q.hidden_multiplier = kOne;
  q.forget_cell_shift = -14;
  q.input_cell_shift = -17;
  q.hidden_shift = hidden_shift;
  q.tanh_multiplier = 3;
  return q;
}

// Gates from their biases alone (Q3.12): input 512, forget -512, cell 256, output 0. From the
// sigmoid table t (sigmoid(i/24) in 0.16): sigmoid(512) = (t[3] * 2^9 + 2^9) >> 10 = (34813 + 1) / 2 =
// 17407, sigmoid(-512) = 32768 - 17407 = 15361, sigmoid(0) = 16384; tanh(256) = (t[3] << 8) - 2^23 +
// 2^7 >> 8 = 2045. Step 1: cell = 17407 * 2045 / 2^18 = 135.8 -> 136; tanh(136) interpolates
// t[1] + 152/256 (t[2] - t[1]): 1088; hidden = 1088 * 16384 / 2^23 = 2.1 -> 2. Step 2: cell =
// 15361 * 136 / 2^15 (63.8 -> 64) + 136 = 200; tanh(200) = 1599; hidden 1599 * 16384 / 2^23 -> 3.
TEST(KernelsLstm, Int8GatesCellAndHiddenOverTwoSteps) {
  const ap_lstm_shape s{1, 2, 1, 1, 0};
  const ap_lstm_quant q = lstm_quant(-22);
  const std::int8_t zero_weight[1] = {0};
  const std::int32_t bias[4][1] = {{512}, {-512}, {256}, {0}};
  const ap_lstm_weights w = {{zero_weight, zero_weight, zero_weight, zero_weight},
                             {zero_weight, zero_weight, zero_weight, zero_weight},
                             {bias[0], bias[1], bias[2], bias[3]}};
  const std::int8_t input[2] = {7, -9};  // weighted by 0
  Guarded<std::int8_t> hidden(1), out(2);
  Guarded<std::int16_t> cell(1);
  hidden.data()[0] = 0;
  cell.data()[0] = 0;
  ap_lstm_s8(&s, &q, &w, input, hidden.data(), cell.data(), out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{2, 3}));
  EXPECT_EQ(hidden.values()[0], 3);
  EXPECT_EQ(cell.values()[0], 200);
  // The cell clip (quantized 150) holds step 2's cell at 150: tanh(150) = 1200 -> hidden 2.
  ap_lstm_quant clipped = q;
  clipped.has_cell_clip = 1;
  clipped.cell_clip = 150;
  hidden.data()[0] = 0;
  cell.data()[0] = 0;
  ap_lstm_s8(&s, &clipped, &w, input, hidden.data(), cell.data(), out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{2, 2}));
  EXPECT_EQ(cell.values()[0], 150);
  EXPECT_TRUE(hidden.guards_intact());
  EXPECT_TRUE(cell.guards_intact());
  EXPECT_TRUE(out.guards_intact());
}

// Two state elements, hidden zero point 1, hidden rescaled by 2^-18: step 1 gives 68 + 1 = 69 for
// both. In step 2 element 1's output gate reads the previous hidden state through a recurrent
// weight of 20: 20 * (69 - 1) = 1360, sigmoid(1360) = t[7] + 496/512 (t[8] - t[7]) -> 19080;
// tanh(200) = 1599, 1599 * 19080 / 2^18 = 116.4 -> 117 (element 0: 101). Reading the hidden state
// element 0 had just written (70 + ...) would give 125.
TEST(KernelsLstm, Int8RecurrentPartReadsThePreviousHiddenState) {
  const ap_lstm_shape s{1, 2, 1, 2, 0};
  ap_lstm_quant q = lstm_quant(-17);
  q.hidden_zero_point = 1;
  const std::int8_t zero_in[2] = {0, 0}, zero_rec[4] = {0, 0, 0, 0}, output_rec[4] = {0, 0, 20, 0};
  const std::int32_t bias[4][2] = {{512, 512}, {-512, -512}, {256, 256}, {0, 0}};
  const ap_lstm_weights w = {{zero_in, zero_in, zero_in, zero_in},
                             {zero_rec, zero_rec, zero_rec, output_rec},
                             {bias[0], bias[1], bias[2], bias[3]}};
  const std::int8_t input[2] = {0, 0};
  Guarded<std::int8_t> hidden(2), out(4);
  Guarded<std::int16_t> cell(2);
  hidden.data()[0] = hidden.data()[1] = 1;  // reset: the zero point
  cell.data()[0] = cell.data()[1] = 0;
  ap_lstm_s8(&s, &q, &w, input, hidden.data(), cell.data(), out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int8_t>{69, 69, 101, 117}));
  EXPECT_EQ(hidden.values(), (std::vector<std::int8_t>{101, 117}));
  EXPECT_TRUE(hidden.guards_intact());
  EXPECT_TRUE(cell.guards_intact());
  EXPECT_TRUE(out.guards_intact());
}

// Pre-activations at the int16 ends: sigmoid(32767) = 32757 and sigmoid(-32768) = 11 (still
// interpolated), tanh(-32768) saturates at -32767. The forget gate keeps 11 * 1000 / 2^15 -> 0 of
// the cell, input x cell gate / 4 = -2.7e8 clamps it to -32768, and tanh(cell) x output / 2^11 the
// hidden state to -128.
TEST(KernelsLstm, Int8SaturatesAtTheEnds) {
  const ap_lstm_shape s{1, 1, 1, 1, 0};
  ap_lstm_quant q = lstm_quant(-10);  // tanh(cell) x output / 2^11
  q.input_cell_shift = -1;            // input x cell gate / 4
  const std::int8_t zero_weight[1] = {0};
  const std::int32_t bias[4][1] = {{32767}, {-32768}, {-32768}, {32767}};
  const ap_lstm_weights w = {{zero_weight, zero_weight, zero_weight, zero_weight},
                             {zero_weight, zero_weight, zero_weight, zero_weight},
                             {bias[0], bias[1], bias[2], bias[3]}};
  const std::int8_t input[1] = {0};
  Guarded<std::int8_t> hidden(1), out(1);
  Guarded<std::int16_t> cell(1);
  hidden.data()[0] = 0;
  cell.data()[0] = 1000;
  ap_lstm_s8(&s, &q, &w, input, hidden.data(), cell.data(), out.data());
  EXPECT_EQ(cell.values()[0], -32768);
  EXPECT_EQ(out.values()[0], -128);
  EXPECT_TRUE(out.guards_intact());
  EXPECT_TRUE(cell.guards_intact());
}

float sigmoid(float v) { return 1.0f / (1.0f + std::exp(-v)); }

// float32, two batches (batch major) of two steps, one input and one state element: gate = x * w
// + b + h * r. Each batch starts from its own state.
TEST(KernelsLstm, Float32TwoBatchesTwoSteps) {
  const ap_lstm_shape s{2, 2, 1, 1, 0};
  const float wi[4] = {0.5f, -0.25f, 1.0f, 0.75f}, wr[4] = {0.1f, 0.2f, -0.3f, 0.4f};
  const float b[4] = {0.1f, 0.2f, 0.0f, -0.1f};
  const ap_lstm_weights w = {
      {&wi[0], &wi[1], &wi[2], &wi[3]}, {&wr[0], &wr[1], &wr[2], &wr[3]}, {&b[0], &b[1], &b[2], &b[3]}};
  const float input[4] = {1.0f, -1.0f, 0.5f, 2.0f};  // batch 0: 1, -1; batch 1: 0.5, 2
  Guarded<float> hidden(2), cell(2), out(4);
  std::fill(hidden.data(), hidden.data() + 2, 0.0f);
  std::fill(cell.data(), cell.data() + 2, 0.0f);
  ap_lstm_f32(&s, 0.0f, &w, input, hidden.data(), cell.data(), out.data());
  std::vector<float> expected;
  for (int batch = 0; batch < 2; ++batch) {
    float h = 0, c = 0;
    for (int t = 0; t < 2; ++t) {
      const float x = input[batch * 2 + t];
      const float i = sigmoid(x * wi[0] + b[0] + h * wr[0]), f = sigmoid(x * wi[1] + b[1] + h * wr[1]);
      const float g = std::tanh(x * wi[2] + b[2] + h * wr[2]), o = sigmoid(x * wi[3] + b[3] + h * wr[3]);
      c = f * c + i * g;
      h = std::tanh(c) * o;
      expected.push_back(h);
    }
  }
  const std::vector<float> got = out.values();
  for (std::size_t k = 0; k < 4; ++k) EXPECT_NEAR(got[k], expected[k], 1e-6f) << k;
  EXPECT_EQ(hidden.values()[0], got[1]);
  EXPECT_EQ(hidden.values()[1], got[3]);
  // A cell clip of 0.01 holds every cell state at +-0.01.
  std::fill(hidden.data(), hidden.data() + 2, 0.0f);
  std::fill(cell.data(), cell.data() + 2, 0.0f);
  ap_lstm_f32(&s, 0.01f, &w, input, hidden.data(), cell.data(), out.data());
  for (float c : cell.values()) EXPECT_EQ(std::fabs(c), 0.01f);
  EXPECT_TRUE(hidden.guards_intact());
  EXPECT_TRUE(cell.guards_intact());
  EXPECT_TRUE(out.guards_intact());
}

// Time major: input [time, batch, input]; batch b's rows are t * batches + b.
TEST(KernelsLstm, Float32TimeMajorMatchesBatchMajor) {
  const float wi[4] = {0.5f, -0.25f, 1.0f, 0.75f}, wr[4] = {0.1f, 0.2f, -0.3f, 0.4f}, b[4] = {0, 0, 0, 0};
  const ap_lstm_weights w = {
      {&wi[0], &wi[1], &wi[2], &wi[3]}, {&wr[0], &wr[1], &wr[2], &wr[3]}, {&b[0], &b[1], &b[2], &b[3]}};
  const float batch_major[4] = {1.0f, -1.0f, 0.5f, 2.0f}, time_major[4] = {1.0f, 0.5f, -1.0f, 2.0f};
  float h1[2] = {0, 0}, c1[2] = {0, 0}, h2[2] = {0, 0}, c2[2] = {0, 0}, out1[4], out2[4];
  const ap_lstm_shape bm{2, 2, 1, 1, 0}, tm{2, 2, 1, 1, 1};
  ap_lstm_f32(&bm, 0.0f, &w, batch_major, h1, c1, out1);
  ap_lstm_f32(&tm, 0.0f, &w, time_major, h2, c2, out2);
  EXPECT_EQ(out1[0], out2[0]);
  EXPECT_EQ(out1[1], out2[2]);
  EXPECT_EQ(out1[2], out2[1]);
  EXPECT_EQ(out1[3], out2[3]);
  EXPECT_EQ(h1[0], h2[0]);
  EXPECT_EQ(h1[1], h2[1]);
}

// ---- SOFTMAX int8 -> int16 --------------------------------------------------------------------

// The int8 kernel's fixed point with a 16-bit output (scale 1/65536, zero point -32768): a
// certain class saturates at 32767, excluded ones (below diff_min) are -32768, two equal ones
// are 1/2 (0), four are 1/4 (-16384), within one unit of the reciprocal's rounding.
TEST(KernelsSoftmax, Int8InInt16Out) {
  Guarded<std::int16_t> out(4);
  const std::int8_t one_hot[3] = {127, -128, -100};
  ap_softmax_s8_s16(1, 3, 1 << 30, 27, -15, one_hot, out.data());
  EXPECT_EQ(out.values()[0], 32767);
  EXPECT_EQ(out.values()[1], -32768);
  EXPECT_EQ(out.values()[2], -32768);
  const std::int8_t pair[2] = {5, 5};
  ap_softmax_s8_s16(1, 2, 1 << 30, 27, -15, pair, out.data());
  EXPECT_NEAR(out.values()[0], 0, 1);
  EXPECT_EQ(out.values()[0], out.values()[1]);
  const std::int8_t four[4] = {-3, -3, -3, -3};
  ap_softmax_s8_s16(1, 4, 1 << 30, 27, -15, four, out.data());
  for (std::int16_t v : out.values()) EXPECT_NEAR(v, -16384, 1);
  EXPECT_TRUE(out.guards_intact());
}

}  // namespace
