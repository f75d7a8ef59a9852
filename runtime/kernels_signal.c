/* kernels_signal.c: TFLite Micro's Signal library kernels (the audio front end: window, FFT,
 * energy, mel filter bank, noise reduction, PCAN, log), reimplemented from the arithmetic its
 * signal/src describes so that every output bit matches. Strict C99, no allocation; the one
 * piece of state (the spectral subtraction's noise estimate) is passed in by the caller.
 */
#include "arenaplan_kernels.h"

/* int16 results of int arithmetic keep their low 16 bits, as assigning to int16_t does with GCC
 * (the conversion is implementation-defined in C99, so it is spelt out). */
static int16_t wrap16(int32_t x) {
  const int32_t low = x & 0xFFFF;
  return (int16_t)(low >= 0x8000 ? low - 0x10000 : low);
}

/* Bits needed for x; for 0 the width (64, or 32 below), as TFLite Micro's GCC build
 * (__builtin_clz) gives. */
static uint32_t msb64(uint64_t x) {
  uint32_t bits = 0;
  if (x == 0) return 64;
  while (x) {
    x >>= 1;
    ++bits;
  }
  return bits;
}

static uint32_t msb32(uint32_t x) { return x == 0 ? 32 : msb64(x); }

void ap_signal_window(int32_t count, int32_t weight_size, int32_t shift, const int16_t* input, const int16_t* weights,
                      int16_t* output) {
  int32_t i;
  if (weight_size <= 0) return;
  for (i = 0; i < count; ++i) {
    const int32_t raw = ((int32_t)input[i] * weights[i % weight_size]) >> shift;
    output[i] = (int16_t)(raw < INT16_MIN ? INT16_MIN : (raw > INT16_MAX ? INT16_MAX : raw));
  }
}

void ap_signal_fft_auto_scale(int32_t count, const int16_t* input, int16_t* output, int32_t* scale_bits) {
  /* The largest magnitude as an int16: -32768 stays -32768, whose sign-extended msb is 32. */
  int16_t max = 0;
  int32_t i, bits;
  for (i = 0; i < count; ++i) {
    if (input[i] > max)
      max = input[i];
    else if (-input[i] > max)
      max = wrap16(-input[i]);
  }
  bits = 16 - (int32_t)msb32((uint32_t)(int32_t)max) - 1;
  if (bits < 0) bits = 0;
  for (i = 0; i < count; ++i) output[i] = wrap16(input[i] * (1 << bits));
  *scale_bits = bits;
}

/* ---- kiss_fft fixed point, 16 bits (Q15 twiddles, rounding multiplies). ---------------------- */

static int16_t q15_round(int32_t product) { return wrap16((product + (1 << 14)) >> 15); }

/* x / k as kiss_fft's C_FIXDIV does it: times 32767 / k, rounded. */
static int16_t fix_div(int16_t x, int32_t k) { return q15_round((int32_t)x * (32767 / k)); }

/* z = a * b for complex (re, im) pairs. */
static void c_mul(const int16_t* a, const int16_t* b, int16_t* z) {
  const int32_t re = (int32_t)a[0] * b[0] - (int32_t)a[1] * b[1];
  const int32_t im = (int32_t)a[0] * b[1] + (int32_t)a[1] * b[0];
  z[0] = q15_round(re);
  z[1] = q15_round(im);
}

static void c_div(int16_t* z, int32_t k) {
  z[0] = fix_div(z[0], k);
  z[1] = fix_div(z[1], k);
}

/* Radix-2 butterflies over m pairs (complex elements, 2 int16 each). */
static void butterfly2(int16_t* f, int32_t stride, const int16_t* tw, int32_t m) {
  int32_t k;
  for (k = 0; k < m; ++k) {
    int16_t* a = f + 2 * k;
    int16_t* b = f + 2 * (k + m);
    int16_t t[2];
    c_div(a, 2);
    c_div(b, 2);
    c_mul(b, tw + 2 * k * stride, t);
    b[0] = wrap16(a[0] - t[0]);
    b[1] = wrap16(a[1] - t[1]);
    a[0] = wrap16(a[0] + t[0]);
    a[1] = wrap16(a[1] + t[1]);
  }
}

/* Radix-4 butterflies (forward transform), kiss_fft's order of operations. */
static void butterfly4(int16_t* f, int32_t stride, const int16_t* tw, int32_t m) {
  int32_t k, j;
  for (k = 0; k < m; ++k) {
    int16_t* x0 = f + 2 * k;
    int16_t* x1 = f + 2 * (k + m);
    int16_t* x2 = f + 2 * (k + 2 * m);
    int16_t* x3 = f + 2 * (k + 3 * m);
    int16_t s0[2], s1[2], s2[2], s3[2], s4[2], s5[2];
    c_div(x0, 4);
    c_div(x1, 4);
    c_div(x2, 4);
    c_div(x3, 4);
    c_mul(x1, tw + 2 * k * stride, s0);
    c_mul(x2, tw + 4 * k * stride, s1);
    c_mul(x3, tw + 6 * k * stride, s2);
    for (j = 0; j < 2; ++j) {
      s5[j] = wrap16(x0[j] - s1[j]);
      x0[j] = wrap16(x0[j] + s1[j]);
      s3[j] = wrap16(s0[j] + s2[j]);
      s4[j] = wrap16(s0[j] - s2[j]);
      x2[j] = wrap16(x0[j] - s3[j]);
      x0[j] = wrap16(x0[j] + s3[j]);
    }
    x1[0] = wrap16(s5[0] + s4[1]);
    x1[1] = wrap16(s5[1] - s4[0]);
    x3[0] = wrap16(s5[0] - s4[1]);
    x3[1] = wrap16(s5[1] + s4[0]);
  }
}

/* kiss_fft's kf_work: n complex points from `in` (every stride-th) to `out`, the radix of each
 * stage from n (4 while it divides, then 2: n is a power of two). */
static void fft_stage(int16_t* out, const int16_t* in, int32_t stride, int32_t n, const int16_t* tw) {
  const int32_t p = n % 4 == 0 ? 4 : 2;
  const int32_t m = n / p;
  int32_t j;
  if (m == 1) {
    for (j = 0; j < p; ++j) {
      out[2 * j] = in[2 * j * stride];
      out[2 * j + 1] = in[2 * j * stride + 1];
    }
  } else {
    for (j = 0; j < p; ++j) fft_stage(out + 2 * j * m, in + 2 * j * stride, stride * p, m, tw);
  }
  if (p == 4)
    butterfly4(out, stride, tw, m);
  else
    butterfly2(out, stride, tw, m);
}

void ap_signal_rfft_s16(const ap_rfft_params* p, const int16_t* input, int16_t* work, int16_t* output) {
  const int32_t half = p->fft_length / 2; /* complex points of the inner FFT */
  int32_t frame, i, k;
  for (frame = 0; frame < p->frames; ++frame) {
    const int16_t* x = input + frame * p->input_length;
    int16_t* y = output + frame * (half + 1) * 2;
    int16_t dc[2];
    for (i = 0; i < p->fft_length; ++i) work[i] = i < p->input_length ? x[i] : 0;
    /* The inner FFT writes into the output; the real post-processing then runs in place (each
     * pair k, half - k is read before it is written). */
    fft_stage(y, work, 1, half, p->twiddles);
    dc[0] = y[0];
    dc[1] = y[1];
    c_div(dc, 2);
    y[0] = wrap16(dc[0] + dc[1]);
    y[2 * half] = wrap16(dc[0] - dc[1]);
    y[1] = 0;
    y[2 * half + 1] = 0;
    for (k = 1; k <= half / 2; ++k) {
      int16_t fpk[2], fpnk[2], f1k[2], f2k[2], tw[2];
      fpk[0] = y[2 * k];
      fpk[1] = y[2 * k + 1];
      fpnk[0] = y[2 * (half - k)];
      fpnk[1] = wrap16(-y[2 * (half - k) + 1]);
      c_div(fpk, 2);
      c_div(fpnk, 2);
      f1k[0] = wrap16(fpk[0] + fpnk[0]);
      f1k[1] = wrap16(fpk[1] + fpnk[1]);
      f2k[0] = wrap16(fpk[0] - fpnk[0]);
      f2k[1] = wrap16(fpk[1] - fpnk[1]);
      c_mul(f2k, p->super_twiddles + 2 * (k - 1), tw);
      y[2 * k] = (int16_t)((f1k[0] + tw[0]) >> 1);
      y[2 * k + 1] = (int16_t)((f1k[1] + tw[1]) >> 1);
      y[2 * (half - k)] = (int16_t)((f1k[0] - tw[0]) >> 1);
      y[2 * (half - k) + 1] = (int16_t)((tw[1] - f1k[1]) >> 1);
    }
  }
}

void ap_signal_energy(int32_t count, int32_t start, int32_t end, const int16_t* input, uint32_t* output) {
  int32_t i;
  /* TFLite Micro leaves the elements outside [start, end) unwritten (arena contents); zero keeps
   * the output a function of the input. */
  for (i = 0; i < start; ++i) output[i] = 0;
  for (i = end; i < count; ++i) output[i] = 0;
  for (i = start; i < end; ++i) {
    const int32_t re = input[2 * i], im = input[2 * i + 1];
    output[i] = (uint32_t)(re * re) + (uint32_t)(im * im); /* wraps like TFLite Micro's int32 sum */
  }
}

void ap_signal_filter_bank(const ap_filter_bank_params* p, const uint32_t* input, uint64_t* output) {
  /* Weights are int16 but multiply as uint64 (modular), as TFLite Micro's do. */
  uint64_t weighted = 0, unweighted = 0;
  int32_t c, j;
  for (c = 0; c <= p->channels; ++c) {
    const int32_t freq = p->frequency_starts[c], w = p->weight_starts[c];
    for (j = 0; j < p->widths[c]; ++j) {
      weighted += (uint64_t)(int64_t)p->weights[w + j] * input[freq + j];
      unweighted += (uint64_t)(int64_t)p->unweights[w + j] * input[freq + j];
    }
    if (c > 0) output[c - 1] = weighted; /* channel 0's own sum is only scratch */
    weighted = unweighted;
    unweighted = 0;
  }
}

/* TFLite Micro's Sqrt32 (width 32, result capped at 0xFFFF) and Sqrt64 (width 64, capped at
 * 0xFFFFFFFF): digit-by-digit square root from the top odd bit, rounded up when the remainder
 * exceeds the root. */
static uint32_t digit_root(uint64_t num, int32_t width, uint64_t cap) {
  const int32_t top = (width - (int32_t)msb64(num)) | 1;
  uint64_t res = 0, bit = (uint64_t)1 << (width - 1 - top);
  int32_t iterations = (width - 1 - top) / 2 + 1;
  while (iterations--) {
    if (num >= res + bit) {
      num -= res + bit;
      res = (res >> 1) + bit;
    } else {
      res >>= 1;
    }
    bit >>= 2;
  }
  if (num > res && res != cap) ++res;
  return (uint32_t)res;
}

/* Numbers below 2^32 take the 32-bit root (slightly off near 2^32, as TFLite Micro's). */
static uint32_t sqrt64(uint64_t num) {
  if (num == 0) return 0;
  if ((num >> 32) == 0) return digit_root(num, 32, 0xFFFF);
  return digit_root(num, 64, 0xFFFFFFFFu);
}

void ap_signal_filter_bank_sqrt(int32_t count, const uint64_t* input, const int32_t* shift, uint32_t* output) {
  /* The shift is a tensor, known only at run time: outside [0, 31] (undefined in TFLite Micro)
   * every bit is shifted out. */
  const int32_t s = *shift;
  int32_t i;
  for (i = 0; i < count; ++i) output[i] = s >= 0 && s < 32 ? sqrt64(input[i]) >> s : 0;
}

void ap_signal_spectral_subtraction(const ap_spectral_subtraction_params* p, const uint32_t* input, uint32_t* state,
                                    uint32_t* output, uint32_t* noise_output) {
  int32_t i;
  for (i = 0; i < p->channels; ++i) {
    const int odd = i & 1;
    const uint32_t smoothing = odd ? p->alternate_smoothing : p->smoothing;
    const uint32_t keep = odd ? p->alternate_one_minus_smoothing : p->one_minus_smoothing;
    const uint32_t scaled = input[i] << p->smoothing_bits;
    uint32_t estimate, floor, subtracted;
    state[i] = (uint32_t)(((uint64_t)scaled * smoothing + (uint64_t)state[i] * keep) >> p->spectral_subtraction_bits);
    estimate = state[i];
    if (estimate > scaled) {
      estimate = scaled; /* never below zero */
      if (p->clamping) state[i] = estimate;
    }
    floor = (uint32_t)(((uint64_t)input[i] * p->min_signal_remaining) >> p->spectral_subtraction_bits);
    subtracted = (scaled - estimate) >> p->smoothing_bits;
    output[i] = subtracted > floor ? subtracted : floor;
  }
  for (i = 0; i < p->channels; ++i) noise_output[i] = state[i];
}

/* PCAN's gain from the noise estimate: a quadratic per octave, coefficients in gain_lut. */
static int16_t wide_dynamic_gain(uint32_t x, const int16_t* lut) {
  int32_t interval, frac, result;
  if (x <= 2) return lut[x];
  interval = (int32_t)msb32(x);
  lut += 4 * interval - 6;
  frac = (int32_t)((interval < 11 ? x << (11 - interval) : x >> (interval - 11)) & 0x3FF);
  result = ((int32_t)lut[2] * frac) >> 5;
  result += (int32_t)((uint32_t)lut[1] << 5);
  result *= frac;
  result = (result + (1 << 14)) >> 15;
  result += lut[0];
  return wrap16(result);
}

enum { kPcanSnrBits = 12, kPcanOutputBits = 6 };

/* x^2 / 4 below 2, x - 1 above (x with kPcanSnrBits fraction bits, result kPcanOutputBits). */
static uint32_t pcan_shrink(uint32_t x) {
  if (x < (2u << kPcanSnrBits)) return (x * x) >> (2 + 2 * kPcanSnrBits - kPcanOutputBits);
  return (x >> (kPcanSnrBits - kPcanOutputBits)) - (1u << kPcanOutputBits);
}

void ap_signal_pcan(int32_t count, int32_t snr_shift, const uint32_t* input, const uint32_t* noise_estimate,
                    const int16_t* gain_lut, uint32_t* output) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    const uint32_t gain = (uint32_t)(int32_t)wide_dynamic_gain(noise_estimate[i], gain_lut);
    const uint32_t snr = (uint32_t)(((uint64_t)input[i] * gain) >> snr_shift);
    output[i] = pcan_shrink(snr);
  }
}

static const uint16_t kLogTable[] = {
    0,    224,  442,  654,  861,  1063, 1259, 1450, 1636, 1817, 1992, 2163, 2329, 2490, 2646, 2797, 2944, 3087, 3224,
    3358, 3487, 3611, 3732, 3848, 3960, 4068, 4172, 4272, 4368, 4460, 4549, 4633, 4714, 4791, 4864, 4934, 5001, 5063,
    5123, 5178, 5231, 5280, 5326, 5368, 5408, 5444, 5477, 5507, 5533, 5557, 5578, 5595, 5610, 5622, 5631, 5637, 5640,
    5641, 5638, 5633, 5626, 5615, 5602, 5586, 5568, 5547, 5524, 5498, 5470, 5439, 5406, 5370, 5332, 5291, 5249, 5203,
    5156, 5106, 5054, 5000, 4944, 4885, 4825, 4762, 4697, 4630, 4561, 4490, 4416, 4341, 4264, 4184, 4103, 4020, 3935,
    3848, 3759, 3668, 3575, 3481, 3384, 3286, 3186, 3084, 2981, 2875, 2768, 2659, 2549, 2437, 2323, 2207, 2090, 1971,
    1851, 1729, 1605, 1480, 1353, 1224, 1094, 963,  830,  695,  559,  421,  282,  142,  0,    0};

/* log2(x) in 16 fraction bits: the integer part, and the fraction corrected by the table's
 * piecewise-linear curve (128 segments). */
static uint32_t log2_q16(uint32_t x) {
  const uint32_t integer = msb32(x) - 1;
  int32_t frac = (int32_t)(x - (1u << integer));
  uint32_t segment;
  int32_t c0, c1, rel;
  if (integer < 16)
    frac <<= 16 - integer;
  else
    frac >>= integer - 16;
  segment = (uint32_t)frac >> 9;
  c0 = kLogTable[segment];
  c1 = kLogTable[segment + 1];
  rel = ((c1 - c0) * (frac - (int32_t)(segment << 9))) >> 16;
  return (integer << 16) + (uint32_t)(frac + c0 + rel);
}

void ap_signal_filter_bank_log(int32_t count, int32_t output_scale, int32_t correction_bits, const uint32_t* input,
                               int16_t* output) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    const uint32_t scaled = input[i] << correction_bits;
    if (scaled > 1) {
      /* ln(x) = log2(x) * ln(2) (45426 / 2^16), then times output_scale / 2^16, both rounded. */
      const uint32_t ln = (uint32_t)(((uint64_t)45426 * log2_q16(scaled) + 32768) >> 16);
      const uint32_t value = ((uint32_t)output_scale * ln + 32768) >> 16;
      output[i] = (int16_t)(value < (uint32_t)INT16_MAX ? value : (uint32_t)INT16_MAX);
    } else {
      output[i] = 0;
    }
  }
}
