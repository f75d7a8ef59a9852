// The Signal library kernels (runtime/kernels_signal.c) against values worked out by hand from
// TFLite Micro's arithmetic, every output between guard bytes. The full-size FFT and the whole pipeline are
// compared with TFLite Micro's own tensors in test_golden (the audio preprocessor models).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "arenaplan_kernels.h"
#include "guarded.h"

namespace {

using arenaplan::test::Guarded;

// (x * w) >> shift rounds toward minus infinity and saturates to int16; the weights repeat.
TEST(KernelsSignal, WindowShiftsFloorsAndSaturates) {
  const std::int16_t input[6] = {3, 5, -7, -3, 30000, 30000};
  const std::int16_t weights[2] = {16384, -32768};
  Guarded<std::int16_t> out(6);
  ap_signal_window(6, 2, 14, input, weights, out.data());
  // 3, 5 * -2, -7, -3 * -2 = 6, 30000, 30000 * -2 -> -32768.
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{3, -10, -7, 6, 30000, -32768}));
  const std::int16_t big[2] = {30000, -3};
  const std::int16_t w[2] = {32767, 10000};
  Guarded<std::int16_t> sat(2);
  ap_signal_window(2, 2, 14, big, w, sat.data());
  EXPECT_EQ(sat.values(), (std::vector<std::int16_t>{32767, -2}));  // 59998 saturates; -1.83 floors
  EXPECT_TRUE(out.guards_intact());
  EXPECT_TRUE(sat.guards_intact());
}

TEST(KernelsSignal, FftAutoScaleUsesFifteenBits) {
  Guarded<std::int16_t> out(3);
  Guarded<std::int32_t> bits(1);
  const std::int16_t a[3] = {100, -300, 0};  // |300| needs 9 bits: shift by 6
  ap_signal_fft_auto_scale(3, a, out.data(), bits.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{6400, -19200, 0}));
  EXPECT_EQ(bits.values()[0], 6);
  const std::int16_t zeros[3] = {0, 0, 0};  // msb(0) is 32: no shift
  ap_signal_fft_auto_scale(3, zeros, out.data(), bits.data());
  EXPECT_EQ(bits.values()[0], 0);
  // TFLite Micro's running maximum is an int16: |-32768| wraps to -32768 (msb 32, no shift) and a
  // later element replaces it.
  const std::int16_t lowest[3] = {1, 2, -32768};
  ap_signal_fft_auto_scale(3, lowest, out.data(), bits.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{1, 2, -32768}));
  EXPECT_EQ(bits.values()[0], 0);
  const std::int16_t replaced[3] = {1, -32768, 2};
  ap_signal_fft_auto_scale(3, replaced, out.data(), bits.data());
  EXPECT_EQ(bits.values()[0], 13);
  const std::int16_t one[1] = {-1};
  ap_signal_fft_auto_scale(1, one, out.data(), bits.data());
  EXPECT_EQ(out.values()[0], -16384);
  EXPECT_EQ(bits.values()[0], 14);
  EXPECT_TRUE(out.guards_intact());
  EXPECT_TRUE(bits.guards_intact());
}

// kiss_fft's Q15 twiddles for a real FFT of 4 (inner complex FFT of 2) and of 8 (of 4).
const std::int16_t kTwiddles2[4] = {32767, 0, -32767, 0};
const std::int16_t kSuper2[2] = {-32767, 0};
const std::int16_t kTwiddles4[8] = {32767, 0, 0, -32767, -32767, 0, 0, 32767};
const std::int16_t kSuper4[4] = {-23170, -23170, -32767, 0};

std::vector<std::int16_t> rfft(std::int32_t fft_length, std::int32_t length, std::int32_t frames,
                               const std::vector<std::int16_t>& x) {
  const ap_rfft_params p{fft_length, length, frames, fft_length == 4 ? kTwiddles2 : kTwiddles4,
                         fft_length == 4 ? kSuper2 : kSuper4};
  const auto n = static_cast<std::size_t>(frames * (fft_length + 2));
  Guarded<std::int16_t> out(n), work(static_cast<std::size_t>(fft_length));
  ap_signal_rfft_s16(&p, x.data(), work.data(), out.data());
  EXPECT_TRUE(out.guards_intact());
  EXPECT_TRUE(work.guards_intact());
  return out.values();
}

// Every stage divides by its radix: an impulse of 8192 gives 8192 / N in every bin, a constant
// 4096 gives 4 * 4096 / 4 at DC, an alternating one the same at Nyquist.
TEST(KernelsSignal, RfftRadix2ImpulseDcAndNyquist) {
  EXPECT_EQ(rfft(4, 4, 1, {8192, 0, 0, 0}), (std::vector<std::int16_t>{2048, 0, 2048, 0, 2048, 0}));
  EXPECT_EQ(rfft(4, 4, 1, {4096, 4096, 4096, 4096}), (std::vector<std::int16_t>{4096, 0, 0, 0, 0, 0}));
  EXPECT_EQ(rfft(4, 4, 1, {4096, -4096, 4096, -4096}), (std::vector<std::int16_t>{0, 0, 0, 0, 4096, 0}));
}

TEST(KernelsSignal, RfftRadix4Impulse) {
  EXPECT_EQ(rfft(8, 8, 1, {8192, 0, 0, 0, 0, 0, 0, 0}),
            (std::vector<std::int16_t>{1024, 0, 1024, 0, 1024, 0, 1024, 0, 1024, 0}));
}

// Frames shorter than fft_length are zero-padded (the work buffer, not stale samples): the
// second, {4096, 4096, 0, 0}, is (8192, 4096 - 4096i, 0) / 4.
TEST(KernelsSignal, RfftFramesAreZeroPadded) {
  EXPECT_EQ(rfft(4, 2, 2, {8192, 0, 4096, 4096}),
            (std::vector<std::int16_t>{2048, 0, 2048, 0, 2048, 0, 2048, 0, 1024, -1024, 0, 0}));
}

TEST(KernelsSignal, EnergyWrapsAndZeroesOutsideTheRange) {
  const std::int16_t x[8] = {3, 4, 3, 4, -32768, -32768, 1, 1};
  Guarded<std::uint32_t> out(4);
  ap_signal_energy(4, 1, 3, x, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint32_t>{0, 25, 2147483648u, 0}));
  EXPECT_TRUE(out.guards_intact());
}

// Channel c's weighted sum plus channel c - 1's unweighted one; entry 0 feeds only channel 0.
TEST(KernelsSignal, FilterBankAccumulatesNeighbours) {
  const std::uint32_t x[4] = {10, 20, 30, 40};
  const std::int16_t weights[4] = {1, 2, 3, 4}, unweights[4] = {5, 6, 7, 8};
  const std::int16_t freq[3] = {0, 1, 2}, starts[3] = {0, 1, 2}, widths[3] = {1, 1, 2};
  const ap_filter_bank_params p{2, weights, unweights, freq, starts, widths};
  Guarded<std::uint64_t> out(2);
  ap_signal_filter_bank(&p, x, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint64_t>{5 * 10 + 2 * 20, 6 * 20 + 3 * 30 + 4 * 40}));
  EXPECT_TRUE(out.guards_intact());
}

// Rounded square roots (up when the remainder exceeds the root), 65535 at the top of 32 bits
// (TFLite Micro's shortcut), the 64-bit path above, then the shift.
TEST(KernelsSignal, FilterBankSquareRootRounds) {
  const std::uint64_t x[9] = {0, 1, 2, 3, 20, 21, std::uint64_t{1} << 40, 0xFFFFFFFFu, (std::uint64_t{1} << 32) + 1};
  std::int32_t shift = 0;
  Guarded<std::uint32_t> out(9);
  ap_signal_filter_bank_sqrt(9, x, &shift, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint32_t>{0, 1, 1, 2, 4, 5, 1u << 20, 65535, 65536}));
  shift = 2;
  ap_signal_filter_bank_sqrt(9, x, &shift, out.data());
  EXPECT_EQ(out.values()[6], 1u << 18);
  shift = 32;  // a run-time tensor: out of range shifts everything out instead of being undefined
  ap_signal_filter_bank_sqrt(9, x, &shift, out.data());
  EXPECT_EQ(out.values()[6], 0u);
  EXPECT_TRUE(out.guards_intact());
}

// smoothing 1/16 on even channels, 1/8 on odd ones (14 bits), 10 smoothing bits, floor 655/2^14.
TEST(KernelsSignal, SpectralSubtractionKeepsItsEstimate) {
  ap_spectral_subtraction_params p{2, 1024, 15360, 2048, 14336, 655, 10, 14, 0};
  std::uint32_t state[2] = {0, 0};
  Guarded<std::uint32_t> out(2), noise(2);
  const std::uint32_t first[2] = {1000, 100};
  ap_signal_spectral_subtraction(&p, first, state, out.data(), noise.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint32_t>{937, 87}));
  EXPECT_EQ(noise.values(), (std::vector<std::uint32_t>{64000, 12800}));
  // The estimate decays (64000 * 15/16) but stays above a silent channel without clamping.
  const std::uint32_t second[2] = {0, 100};
  std::uint32_t kept[2] = {state[0], state[1]};
  ap_signal_spectral_subtraction(&p, second, kept, out.data(), noise.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint32_t>{0, 76}));
  EXPECT_EQ(noise.values(), (std::vector<std::uint32_t>{60000, 24000}));
  p.clamping = 1;
  ap_signal_spectral_subtraction(&p, second, state, out.data(), noise.data());
  EXPECT_EQ(noise.values(), (std::vector<std::uint32_t>{0, 24000}));
  EXPECT_TRUE(out.guards_intact());
  EXPECT_TRUE(noise.guards_intact());
}

TEST(KernelsSignal, PcanGainAndShrink) {
  std::vector<std::int16_t> lut(125, 0);
  lut[0] = 100, lut[1] = 200, lut[2] = 300, lut[3] = 64;
  const std::uint32_t x[3] = {4096, 100, 10}, noise[3] = {0, 1, 3};
  Guarded<std::uint32_t> out(3);
  ap_signal_pcan(3, 6, x, noise, lut.data(), out.data());
  // gains 100, 200 and (noise 3: octave 2, fraction 1/2) 300 + 32; snr = x * gain >> 6;
  // below 2.0 (8192) x^2 >> 20, else (x >> 6) - 64.
  EXPECT_EQ(out.values(), (std::vector<std::uint32_t>{39, 0, 0}));
  ap_signal_pcan(3, 0, x, noise, lut.data(), out.data());
  EXPECT_EQ(out.values(), (std::vector<std::uint32_t>{(409600 >> 6) - 64, 248, 10}));
  EXPECT_TRUE(out.guards_intact());
}

// 1600 * ln(x): ln 16 * 1600 = 4436.1, ln 3 * 1600 = 1757.8; 2000 * ln 2^31 = 42975 caps at 32767.
TEST(KernelsSignal, FilterBankLog) {
  const std::uint32_t x[5] = {16, 3, 1, 0, 1};
  Guarded<std::int16_t> out(5);
  ap_signal_filter_bank_log(5, 1600, 0, x, out.data());
  EXPECT_EQ(out.values(), (std::vector<std::int16_t>{4436, 1758, 0, 0, 0}));
  ap_signal_filter_bank_log(5, 1600, 4, x, out.data());  // 1 << 4 = 16
  EXPECT_EQ(out.values()[4], 4436);
  const std::uint32_t top[1] = {1u << 31};
  Guarded<std::int16_t> capped(1);
  ap_signal_filter_bank_log(1, 2000, 0, top, capped.data());
  EXPECT_EQ(capped.values()[0], 32767);
  EXPECT_TRUE(out.guards_intact());
  EXPECT_TRUE(capped.guards_intact());
}

}  // namespace
