/* arenaplan_kernels.c: see arenaplan_kernels.h.
 *
 * Strict C99, no allocation, no state. Every kernel names the TensorFlow Lite reference kernel
 * whose semantics (loop order, rounding, clamping) it reproduces. Where TFLite's C++ has undefined
 * behaviour for out-of-range parameters (signed overflow, shifts by 32 or more), this code stays
 * defined: 64-bit intermediates, saturation, or the mathematically intended result; for the
 * parameters TFLite's converter produces the results are identical.
 *
 * Outputs may overlap a dying input as far as the loop order allows: the `arenaplan` profile
 * declares, per operator, how far below the input the output must start (src/kernels/
 * overlap_distance.cpp derives it from these loops), so a loop order here is part of that
 * contract. Element-wise kernels run in place; convolutions and pools need the output that much
 * below the input (a halo of rows); the _staged variants stage the input pixel in scratch so
 * that their output may start on the input itself. Any start further below must be as safe:
 * every write lands below the lowest input byte still to be read. Fully connected
 * needs distinct buffers; the hybrid kernels read their input only while quantizing it into
 * scratch (stage 0), so their output may overlap the input in any way.
 */
#include "arenaplan_kernels.h"
#include "kernels_internal.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------- */
/* Integer helpers                                                                              */
/* ------------------------------------------------------------------------------------------- */

static int32_t clamp_s32(int32_t v, int32_t lo, int32_t hi) {
  if (v < lo) return lo;
  if (v > hi) return hi;
  return v;
}

static float clamp_f32(float v, float lo, float hi) {
  /* TFLite's ActivationFunctionWithMinMax: min(max(v, lo), hi). */
  if (v < lo) v = lo;
  if (v > hi) v = hi;
  return v;
}

static int32_t saturate_s32(int64_t v) {
  if (v > INT32_MAX) return INT32_MAX;
  if (v < INT32_MIN) return INT32_MIN;
  return (int32_t)v;
}

/* The low 32 bits of v as a two's-complement int32 (what an int32 accumulator that overflowed
 * would hold on every target TFLite runs on), without implementation-defined conversions. */
static int32_t wrap_s32(int64_t v) {
  uint32_t u = (uint32_t)v;
  if (u <= (uint32_t)INT32_MAX) return (int32_t)u;
  return (int32_t)(u - 2147483648u) + INT32_MIN;
}

static int8_t to_s8(int32_t v) { return (int8_t)clamp_s32(v, INT8_MIN, INT8_MAX); }

/* floor(x / 2^e) for 0 <= e <= 62: an arithmetic right shift, written without shifting a
 * negative value (implementation-defined in C). */
static int64_t floor_shift_s64(int64_t x, int32_t e) {
  if (x >= 0) return x >> e;
  return ~((~x) >> e);
}

/* gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero.
 * remainder = x mod 2^e; threshold = (2^e - 1) / 2, plus 1 for negative x. gemmlowp requires
 * 0 <= exponent <= 31; larger exponents (reachable in SOFTMAX with very long rows, where TFLite
 * shifts by >= 32) give the exact rounded quotient, i.e. 0 (or -1 for x = INT32_MIN, e = 32). */
static int32_t rounding_divide_by_pot(int32_t x, int32_t exponent) {
  int64_t mask, remainder, threshold, result;
  if (exponent <= 0) return x;
  if (exponent > 62) exponent = 62;
  mask = ((int64_t)1 << exponent) - 1;
  remainder = (int64_t)x & mask;
  threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  result = floor_shift_s64(x, exponent) + (remainder > threshold ? 1 : 0);
  return (int32_t)result;
}

/* gemmlowp SaturatingRoundingDoublingHighMul: round(a * b / 2^31), with the nudge rounding half
 * away from zero and the single overflow case INT32_MIN * INT32_MIN saturating to INT32_MAX. */
static int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  int64_t ab, nudge;
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  ab = (int64_t)a * (int64_t)b;
  nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
  /* C99 division truncates toward zero, as the C++ original. */
  return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/* TFLite MultiplyByQuantizedMultiplier (common.h, the default double-rounding variant):
 * left shift first (x * 2^shift for shift > 0), doubling high multiply, then rounding right
 * shift by -shift. The left-shifted value saturates instead of overflowing (UB in TFLite). */
int32_t ap_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift) {
  const int32_t left_shift = shift > 0 ? (shift > 31 ? 31 : shift) : 0;
  const int32_t right_shift = shift > 0 ? 0 : (shift < -62 ? 62 : -shift);
  int32_t shifted;
  shifted = saturate_s32((int64_t)x * ((int64_t)1 << left_shift));
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier), right_shift);
}

/* Rescale an int32 accumulator to the int8 output: multiplier, + output offset, clamp. */
static int8_t requantize_acc(int64_t acc, int32_t multiplier, int32_t shift, int32_t output_offset, int32_t act_min,
                             int32_t act_max) {
  int32_t v = ap_multiply_by_quantized_multiplier(wrap_s32(acc), multiplier, shift);
  v = saturate_s32((int64_t)v + output_offset);
  return to_s8(clamp_s32(v, act_min, act_max));
}

/* ------------------------------------------------------------------------------------------- */
/* gemmlowp fixed point (fixedpoint.h), int32 raw values only.                                  */
/* A FixedPoint<int32, I> holds value raw / 2^(31 - I).                                         */
/* ------------------------------------------------------------------------------------------- */

#define FP_ONE_Q0 INT32_MAX /* FixedPoint<int32, 0>::One(): saturated 1.0 */

/* gemmlowp SaturatingRoundingMultiplyByPOT<exponent>: saturating left shift for exponent > 0,
 * RoundingDivideByPOT for exponent < 0. */
static int32_t fp_multiply_by_pot(int32_t x, int32_t exponent) {
  int32_t threshold;
  if (exponent == 0) return x;
  if (exponent < 0) return rounding_divide_by_pot(x, -exponent);
  if (exponent > 30) return x > 0 ? INT32_MAX : (x < 0 ? INT32_MIN : 0);
  threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return x * ((int32_t)1 << exponent);
}

/* gemmlowp Rescale<dst_bits>(FixedPoint<src_bits>). */
static int32_t fp_rescale(int32_t raw, int32_t src_integer_bits, int32_t dst_integer_bits) {
  return fp_multiply_by_pot(raw, src_integer_bits - dst_integer_bits);
}

/* gemmlowp RoundingHalfSum: (a + b) / 2 rounded half away from zero. */
static int32_t fp_rounding_half_sum(int32_t a, int32_t b) {
  int64_t sum = (int64_t)a + (int64_t)b;
  int64_t sign = sum >= 0 ? 1 : -1;
  return (int32_t)((sum + sign) / 2);
}

/* Product of two fixed-point numbers (integer bits add up): the doubling high multiply. */
static int32_t fp_mul(int32_t a, int32_t b) { return saturating_rounding_doubling_high_mul(a, b); }

/* gemmlowp exp_on_interval_between_negative_one_quarter_and_0_excl: Q0 in, Q0 out; a Taylor
 * expansion of exp around -1/8 to the 4th order. */
static int32_t fp_exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a) {
  const int32_t exp_minus_one_eighth = 1895147668; /* exp(-1/8) in Q0 */
  const int32_t one_third = 715827883;             /* 1/3 in Q0 */
  int32_t x = a + ((int32_t)1 << 28);              /* a + 1/8 */
  int32_t x2 = fp_mul(x, x);
  int32_t x3 = fp_mul(x2, x);
  int32_t x4 = fp_mul(x2, x2);
  int32_t x4_over_4 = fp_multiply_by_pot(x4, -2);
  int32_t poly = fp_multiply_by_pot(fp_mul(x4_over_4 + x3, one_third) + x2, -1);
  return exp_minus_one_eighth + fp_mul(exp_minus_one_eighth, x + poly);
}

/* gemmlowp exp_on_negative_values: exp(a) for a <= 0 given with `integer_bits` integer bits
 * (0..29); result Q0. exp of (a mod 1/4 - 1/4) by the polynomial, then the barrel shifter
 * multiplies by exp(-2^k) for every bit k of the remaining multiple of 1/4. */
static int32_t fp_exp_on_negative_values(int32_t a, int32_t integer_bits) {
  static const int32_t barrel_multiplier[7] = {
      1672461947, /* exp(-1/4) */
      1302514674, /* exp(-1/2) */
      790015084,  /* exp(-1) */
      290630308,  /* exp(-2) */
      39332535,   /* exp(-4) */
      720401,     /* exp(-8) */
      242,        /* exp(-16) */
  };
  const int32_t fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = (a & mask) - one_quarter;
  const int32_t remainder = a_mod_quarter_minus_one_quarter - a;
  int32_t result = fp_exp_on_interval_between_negative_one_quarter_and_0_excl(
      fp_rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0));
  int32_t exponent;
  for (exponent = -2; exponent <= 4; ++exponent) {
    if (integer_bits > exponent) {
      const int32_t bit = (int32_t)1 << (fractional_bits + exponent);
      if ((remainder & bit) != 0) result = fp_mul(result, barrel_multiplier[exponent + 2]);
    }
  }
  if (integer_bits > 5) {
    const int32_t minus_32 = -((int32_t)1 << (fractional_bits + 5));
    if (a < minus_32) result = 0;
  }
  if (a == 0) result = FP_ONE_Q0;
  return result;
}

/* gemmlowp one_over_one_plus_x_for_x_in_0_1: Q0 in, Q0 out; three Newton-Raphson steps on
 * the half denominator (1 + x) / 2, computed in Q2. */
static int32_t fp_one_over_one_plus_x_for_x_in_0_1(int32_t a) {
  const int32_t half_denominator = fp_rounding_half_sum(a, FP_ONE_Q0);
  const int32_t q2_48_over_17 = 1515870810;
  const int32_t q2_neg_32_over_17 = -1010580540;
  const int32_t q2_one = (int32_t)1 << 29;
  int32_t x = q2_48_over_17 + fp_mul(half_denominator, q2_neg_32_over_17);
  int i;
  for (i = 0; i < 3; ++i) {
    int32_t half_denominator_times_x = fp_mul(half_denominator, x); /* Q2 */
    int32_t one_minus = q2_one - half_denominator_times_x;          /* Q2 */
    x = x + fp_rescale(fp_mul(x, one_minus), 4, 2);                 /* Q4 -> Q2 */
  }
  /* ExactMulByPot<-1> (Q2 -> Q1, same raw), then Rescale<0> (Q1 -> Q0). */
  return fp_rescale(x, 1, 0);
}

/* TFLite CountLeadingZeros for uint32 (32 for 0). */
static int32_t count_leading_zeros_u32(uint32_t x) {
  int32_t n = 0;
  if (x == 0) return 32;
  while ((x & 0x80000000u) == 0) {
    x <<= 1;
    ++n;
  }
  return n;
}

/* ------------------------------------------------------------------------------------------- */
/* CONV_2D and DEPTHWISE_CONV_2D                                                                */
/* ------------------------------------------------------------------------------------------- */

/* Follows tflite::reference_integer_ops::ConvPerChannel (filter OHWI, per-channel rescale). */
void ap_conv2d_s8(const ap_conv_shape* s, const ap_conv_quant* q, const int8_t* input, const int8_t* filter,
                  const int32_t* bias, int8_t* output) {
  int32_t b, oy, ox, oc, ky, kx, ic;
  for (b = 0; b < s->batches; ++b) {
    for (oy = 0; oy < s->out_h; ++oy) {
      const int32_t in_y_origin = oy * s->stride_h - s->pad_h;
      for (ox = 0; ox < s->out_w; ++ox) {
        const int32_t in_x_origin = ox * s->stride_w - s->pad_w;
        int8_t* out = output + ((b * s->out_h + oy) * s->out_w + ox) * ap_out_pixel_stride(s);
        for (oc = 0; oc < s->out_c; ++oc) {
          int64_t acc = 0;
          for (ky = 0; ky < s->filter_h; ++ky) {
            const int32_t in_y = in_y_origin + ky * s->dilation_h;
            if (in_y < 0 || in_y >= s->in_h) continue;
            for (kx = 0; kx < s->filter_w; ++kx) {
              const int32_t in_x = in_x_origin + kx * s->dilation_w;
              const int8_t* in;
              const int8_t* f;
              if (in_x < 0 || in_x >= s->in_w) continue;
              in = input + ((b * s->in_h + in_y) * s->in_w + in_x) * s->in_c;
              f = filter + ((oc * s->filter_h + ky) * s->filter_w + kx) * s->in_c;
              for (ic = 0; ic < s->in_c; ++ic) acc += (int64_t)f[ic] * ((int32_t)in[ic] + q->input_offset);
            }
          }
          if (bias) acc += bias[oc];
          out[oc] = requantize_acc(acc, q->multiplier[oc], q->shift[oc], q->output_offset, q->act_min, q->act_max);
        }
      }
    }
  }
}

/* Follows tflite::reference_integer_ops::DepthwiseConvPerChannel (filter 1HW(C*M), output
 * channel ic * depth_multiplier + m). */
void ap_depthwise_conv2d_s8(const ap_conv_shape* s, const ap_conv_quant* q, const int8_t* input, const int8_t* filter,
                            const int32_t* bias, int8_t* output) {
  int32_t b, oy, ox, ic, m, ky, kx;
  for (b = 0; b < s->batches; ++b) {
    for (oy = 0; oy < s->out_h; ++oy) {
      const int32_t in_y_origin = oy * s->stride_h - s->pad_h;
      for (ox = 0; ox < s->out_w; ++ox) {
        const int32_t in_x_origin = ox * s->stride_w - s->pad_w;
        int8_t* out = output + ((b * s->out_h + oy) * s->out_w + ox) * ap_out_pixel_stride(s);
        for (ic = 0; ic < s->in_c; ++ic) {
          for (m = 0; m < s->depth_multiplier; ++m) {
            const int32_t oc = ic * s->depth_multiplier + m;
            int64_t acc = 0;
            for (ky = 0; ky < s->filter_h; ++ky) {
              const int32_t in_y = in_y_origin + ky * s->dilation_h;
              if (in_y < 0 || in_y >= s->in_h) continue;
              for (kx = 0; kx < s->filter_w; ++kx) {
                const int32_t in_x = in_x_origin + kx * s->dilation_w;
                int32_t in_val, f_val;
                if (in_x < 0 || in_x >= s->in_w) continue;
                in_val = input[((b * s->in_h + in_y) * s->in_w + in_x) * s->in_c + ic];
                f_val = filter[(ky * s->filter_w + kx) * s->out_c + oc];
                acc += (int64_t)f_val * (in_val + q->input_offset);
              }
            }
            if (bias) acc += bias[oc];
            out[oc] = requantize_acc(acc, q->multiplier[oc], q->shift[oc], q->output_offset, q->act_min, q->act_max);
          }
        }
      }
    }
  }
}

/* Follows tflite::reference_ops::Conv (float): sum in (ky, kx, ic) order, + bias, clamp. */
void ap_conv2d_f32(const ap_conv_shape* s, float act_min, float act_max, const float* input, const float* filter,
                   const float* bias, float* output) {
  int32_t b, oy, ox, oc, ky, kx, ic;
  for (b = 0; b < s->batches; ++b) {
    for (oy = 0; oy < s->out_h; ++oy) {
      const int32_t in_y_origin = oy * s->stride_h - s->pad_h;
      for (ox = 0; ox < s->out_w; ++ox) {
        const int32_t in_x_origin = ox * s->stride_w - s->pad_w;
        float* out = output + ((b * s->out_h + oy) * s->out_w + ox) * ap_out_pixel_stride(s);
        for (oc = 0; oc < s->out_c; ++oc) {
          float total = 0.0f;
          for (ky = 0; ky < s->filter_h; ++ky) {
            const int32_t in_y = in_y_origin + ky * s->dilation_h;
            if (in_y < 0 || in_y >= s->in_h) continue;
            for (kx = 0; kx < s->filter_w; ++kx) {
              const int32_t in_x = in_x_origin + kx * s->dilation_w;
              const float* in;
              const float* f;
              if (in_x < 0 || in_x >= s->in_w) continue;
              in = input + ((b * s->in_h + in_y) * s->in_w + in_x) * s->in_c;
              f = filter + ((oc * s->filter_h + ky) * s->filter_w + kx) * s->in_c;
              for (ic = 0; ic < s->in_c; ++ic) total += in[ic] * f[ic];
            }
          }
          out[oc] = clamp_f32(total + (bias ? bias[oc] : 0.0f), act_min, act_max);
        }
      }
    }
  }
}

/* Follows tflite::reference_ops::DepthwiseConv (float). */
void ap_depthwise_conv2d_f32(const ap_conv_shape* s, float act_min, float act_max, const float* input,
                             const float* filter, const float* bias, float* output) {
  int32_t b, oy, ox, ic, m, ky, kx;
  for (b = 0; b < s->batches; ++b) {
    for (oy = 0; oy < s->out_h; ++oy) {
      const int32_t in_y_origin = oy * s->stride_h - s->pad_h;
      for (ox = 0; ox < s->out_w; ++ox) {
        const int32_t in_x_origin = ox * s->stride_w - s->pad_w;
        float* out = output + ((b * s->out_h + oy) * s->out_w + ox) * ap_out_pixel_stride(s);
        for (ic = 0; ic < s->in_c; ++ic) {
          for (m = 0; m < s->depth_multiplier; ++m) {
            const int32_t oc = ic * s->depth_multiplier + m;
            float total = 0.0f;
            for (ky = 0; ky < s->filter_h; ++ky) {
              const int32_t in_y = in_y_origin + ky * s->dilation_h;
              if (in_y < 0 || in_y >= s->in_h) continue;
              for (kx = 0; kx < s->filter_w; ++kx) {
                const int32_t in_x = in_x_origin + kx * s->dilation_w;
                if (in_x < 0 || in_x >= s->in_w) continue;
                total += input[((b * s->in_h + in_y) * s->in_w + in_x) * s->in_c + ic] *
                         filter[(ky * s->filter_w + kx) * s->out_c + oc];
              }
            }
            out[oc] = clamp_f32(total + (bias ? bias[oc] : 0.0f), act_min, act_max);
          }
        }
      }
    }
  }
}

/* ------------------------------------------------------------------------------------------- */
/* Variants whose output may be written over their dying input (docs/overlap.md)                */
/* ------------------------------------------------------------------------------------------- */

/* The input pixel under a 1x1 filter at output (b, oy, ox), or -1 when it is padding. */
static int32_t pixel_1x1(const ap_conv_shape* s, int32_t b, int32_t oy, int32_t ox) {
  const int32_t in_y = oy * s->stride_h - s->pad_h, in_x = ox * s->stride_w - s->pad_w;
  if (in_y < 0 || in_y >= s->in_h || in_x < 0 || in_x >= s->in_w) return -1;
  return (b * s->in_h + in_y) * s->in_w + in_x;
}

/* ap_conv2d_s8 for a 1x1 filter, with the input pixel staged in `staged` (in_c values) before
 * any output of the pixel is written; the same sums in the same order. */
void ap_conv2d_s8_staged(const ap_conv_shape* s, const ap_conv_quant* q, const int8_t* input, const int8_t* filter,
                         const int32_t* bias, int8_t* staged, int8_t* output) {
  int32_t b, oy, ox, oc, ic;
  for (b = 0; b < s->batches; ++b) {
    for (oy = 0; oy < s->out_h; ++oy) {
      for (ox = 0; ox < s->out_w; ++ox) {
        const int32_t pixel = pixel_1x1(s, b, oy, ox);
        int8_t* out = output + ((b * s->out_h + oy) * s->out_w + ox) * ap_out_pixel_stride(s);
        if (pixel >= 0) memcpy(staged, input + pixel * s->in_c, (size_t)s->in_c);
        for (oc = 0; oc < s->out_c; ++oc) {
          const int8_t* f = filter + oc * s->in_c;
          int64_t acc = 0;
          if (pixel >= 0)
            for (ic = 0; ic < s->in_c; ++ic) acc += (int64_t)f[ic] * ((int32_t)staged[ic] + q->input_offset);
          if (bias) acc += bias[oc];
          out[oc] = requantize_acc(acc, q->multiplier[oc], q->shift[oc], q->output_offset, q->act_min, q->act_max);
        }
      }
    }
  }
}

/* ap_conv2d_f32 for a 1x1 filter, the input pixel staged as in ap_conv2d_s8_staged. */
void ap_conv2d_f32_staged(const ap_conv_shape* s, float act_min, float act_max, const float* input, const float* filter,
                          const float* bias, float* staged, float* output) {
  int32_t b, oy, ox, oc, ic;
  for (b = 0; b < s->batches; ++b) {
    for (oy = 0; oy < s->out_h; ++oy) {
      for (ox = 0; ox < s->out_w; ++ox) {
        const int32_t pixel = pixel_1x1(s, b, oy, ox);
        float* out = output + ((b * s->out_h + oy) * s->out_w + ox) * ap_out_pixel_stride(s);
        if (pixel >= 0) memcpy(staged, input + pixel * s->in_c, (size_t)s->in_c * sizeof(float));
        for (oc = 0; oc < s->out_c; ++oc) {
          const float* f = filter + oc * s->in_c;
          float total = 0.0f;
          if (pixel >= 0)
            for (ic = 0; ic < s->in_c; ++ic) total += staged[ic] * f[ic];
          out[oc] = clamp_f32(total + (bias ? bias[oc] : 0.0f), act_min, act_max);
        }
      }
    }
  }
}

/* The first in-bounds tap of a window along one dimension, or -1 when none is. */
static int32_t first_tap(int32_t origin, int32_t filter, int32_t dilation, int32_t size) {
  int32_t k;
  for (k = 0; k < filter; ++k) {
    const int32_t at = origin + k * dilation;
    if (at >= 0 && at < size) return at;
  }
  return -1;
}

/* The input pixels the ring of a _ring depthwise kernel holds: the largest p - q over output
 * pixels p (NHWC order over all batches) and the lowest input pixel q of p's window, at least 0.
 * src/kernels/overlap_distance.cpp (depthwise_ring_pixels) declares the same in the profile. */
static int32_t depthwise_ring_pixels(const ap_conv_shape* s) {
  int32_t b, oy, ox, ring = 0;
  for (b = 0; b < s->batches; ++b)
    for (oy = 0; oy < s->out_h; ++oy) {
      const int32_t y = first_tap(oy * s->stride_h - s->pad_h, s->filter_h, s->dilation_h, s->in_h);
      for (ox = 0; ox < s->out_w; ++ox) {
        const int32_t x = first_tap(ox * s->stride_w - s->pad_w, s->filter_w, s->dilation_w, s->in_w);
        const int32_t p = (b * s->out_h + oy) * s->out_w + ox;
        if (y >= 0 && x >= 0 && p - ((b * s->in_h + y) * s->in_w + x) > ring)
          ring = p - ((b * s->in_h + y) * s->in_w + x);
      }
    }
  return ring;
}

/* The in-bounds window taps of output pixel p at (b, oy, ox), in the plain kernel's (ky, kx) order:
 * the element offset of each tap's channel 0 and its filter tap. Input pixels grow along that
 * order, so the taps below p (read from the ring, where pixel q sits in slot q mod ring_pixels)
 * come first: returns how many taps there are and sets *from_ring to how many of them those are. */
static int32_t ring_taps(const ap_conv_shape* s, int32_t b, int32_t oy, int32_t ox, int32_t p, int32_t slot,
                         int32_t ring_pixels, int32_t* offset, int32_t* tap, int32_t* from_ring) {
  int32_t ky, kx, n = 0;
  *from_ring = 0;
  for (ky = 0; ky < s->filter_h; ++ky) {
    const int32_t in_y = oy * s->stride_h - s->pad_h + ky * s->dilation_h;
    if (in_y < 0 || in_y >= s->in_h) continue;
    for (kx = 0; kx < s->filter_w; ++kx) {
      const int32_t in_x = ox * s->stride_w - s->pad_w + kx * s->dilation_w;
      const int32_t pixel = (b * s->in_h + in_y) * s->in_w + in_x;
      if (in_x < 0 || in_x >= s->in_w) continue;
      if (pixel < p) {
        const int32_t back = p - pixel;
        offset[n] = (slot >= back ? slot - back : slot - back + ring_pixels) * s->in_c;
        ++*from_ring;
      } else {
        offset[n] = pixel * s->in_c;
      }
      tap[n++] = ky * s->filter_w + kx;
    }
  }
  return n;
}

/* The ring kernels' preconditions (else they run the plain kernels, for buffers apart). */
static int ring_applies(const ap_conv_shape* s) {
  return s->depth_multiplier == 1 && s->out_c == s->in_c && s->filter_h * s->filter_w <= AP_DEPTHWISE_RING_MAX_TAPS;
}

/* ap_depthwise_conv2d_s8 for depth multiplier 1 whose output may start on its input: before
 * output channel c of pixel p is written, input channel c of pixel p (the byte that write may
 * clobber, with the output anywhere at or below the input) is kept in a ring of the last
 * depthwise_ring_pixels(s) input pixels (`ring`: that many times in_c values), and every window
 * tap below p is read from the ring. The same sums in the same order. */
void ap_depthwise_conv2d_s8_ring(const ap_conv_shape* s, const ap_conv_quant* q, const int8_t* input,
                                 const int8_t* filter, const int32_t* bias, int8_t* ring, int8_t* output) {
  const int32_t ring_pixels = depthwise_ring_pixels(s), in_pixels = s->batches * s->in_h * s->in_w;
  const int32_t channels = s->in_c;
  int32_t offset[AP_DEPTHWISE_RING_MAX_TAPS], tap[AP_DEPTHWISE_RING_MAX_TAPS];
  int32_t b, oy, ox, c, t, taps, from_ring, slot = 0;
  if (!ring_applies(s)) {
    ap_depthwise_conv2d_s8(s, q, input, filter, bias, output);
    return;
  }
  for (b = 0; b < s->batches; ++b)
    for (oy = 0; oy < s->out_h; ++oy)
      for (ox = 0; ox < s->out_w; ++ox) {
        const int32_t p = (b * s->out_h + oy) * s->out_w + ox;
        int8_t* out = output + p * ap_out_pixel_stride(s);
        taps = ring_taps(s, b, oy, ox, p, slot, ring_pixels, offset, tap, &from_ring);
        for (c = 0; c < channels; ++c) {
          int64_t acc = 0;
          for (t = 0; t < from_ring; ++t)
            acc += (int64_t)filter[tap[t] * channels + c] * (ring[offset[t] + c] + q->input_offset);
          for (; t < taps; ++t)
            acc += (int64_t)filter[tap[t] * channels + c] * (input[offset[t] + c] + q->input_offset);
          if (bias) acc += bias[c];
          if (ring_pixels > 0 && p < in_pixels) ring[slot * channels + c] = input[p * channels + c];
          out[c] = requantize_acc(acc, q->multiplier[c], q->shift[c], q->output_offset, q->act_min, q->act_max);
        }
        if (ring_pixels > 0 && ++slot == ring_pixels) slot = 0;
      }
}

/* ap_depthwise_conv2d_f32 with the ring of ap_depthwise_conv2d_s8_ring. */
void ap_depthwise_conv2d_f32_ring(const ap_conv_shape* s, float act_min, float act_max, const float* input,
                                  const float* filter, const float* bias, float* ring, float* output) {
  const int32_t ring_pixels = depthwise_ring_pixels(s), in_pixels = s->batches * s->in_h * s->in_w;
  const int32_t channels = s->in_c;
  int32_t offset[AP_DEPTHWISE_RING_MAX_TAPS], tap[AP_DEPTHWISE_RING_MAX_TAPS];
  int32_t b, oy, ox, c, t, taps, from_ring, slot = 0;
  if (!ring_applies(s)) {
    ap_depthwise_conv2d_f32(s, act_min, act_max, input, filter, bias, output);
    return;
  }
  for (b = 0; b < s->batches; ++b)
    for (oy = 0; oy < s->out_h; ++oy)
      for (ox = 0; ox < s->out_w; ++ox) {
        const int32_t p = (b * s->out_h + oy) * s->out_w + ox;
        float* out = output + p * ap_out_pixel_stride(s);
        taps = ring_taps(s, b, oy, ox, p, slot, ring_pixels, offset, tap, &from_ring);
        for (c = 0; c < channels; ++c) {
          float total = 0.0f;
          for (t = 0; t < from_ring; ++t) total += ring[offset[t] + c] * filter[tap[t] * channels + c];
          for (; t < taps; ++t) total += input[offset[t] + c] * filter[tap[t] * channels + c];
          if (ring_pixels > 0 && p < in_pixels) ring[slot * channels + c] = input[p * channels + c];
          out[c] = clamp_f32(total + (bias ? bias[c] : 0.0f), act_min, act_max);
        }
        if (ring_pixels > 0 && ++slot == ring_pixels) slot = 0;
      }
}

/* ------------------------------------------------------------------------------------------- */
/* FULLY_CONNECTED                                                                              */
/* ------------------------------------------------------------------------------------------- */

/* Follows tflite::reference_integer_ops::FullyConnected (per tensor) and FullyConnectedPerChannel
 * (per channel: multiplier[o] / shift[o]; the weights offset is then normally 0). */
void ap_fully_connected_s8(const ap_fc_shape* s, const ap_fc_quant* q, const int8_t* input, const int8_t* weights,
                           const int32_t* bias, int8_t* output) {
  int32_t b, o, d;
  for (b = 0; b < s->batches; ++b) {
    const int8_t* in = input + b * s->in_depth;
    for (o = 0; o < s->out_depth; ++o) {
      const int8_t* w = weights + o * s->in_depth;
      const int32_t ch = q->per_channel ? o : 0;
      int64_t acc = 0;
      for (d = 0; d < s->in_depth; ++d)
        acc += (int64_t)((int32_t)w[d] + q->weights_offset) * ((int32_t)in[d] + q->input_offset);
      if (bias) acc += bias[o];
      output[b * s->out_depth + o] =
          requantize_acc(acc, q->multiplier[ch], q->shift[ch], q->output_offset, q->act_min, q->act_max);
    }
  }
}

/* Follows tflite::reference_ops::FullyConnected (float). */
void ap_fully_connected_f32(const ap_fc_shape* s, float act_min, float act_max, const float* input,
                            const float* weights, const float* bias, float* output) {
  int32_t b, o, d;
  for (b = 0; b < s->batches; ++b) {
    const float* in = input + b * s->in_depth;
    for (o = 0; o < s->out_depth; ++o) {
      const float* w = weights + o * s->in_depth;
      float total = 0.0f;
      for (d = 0; d < s->in_depth; ++d) total += in[d] * w[d];
      output[b * s->out_depth + o] = clamp_f32(total + (bias ? bias[o] : 0.0f), act_min, act_max);
    }
  }
}

/* ------------------------------------------------------------------------------------------- */
/* Hybrid CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED (float32 activations, int8 weights)       */
/* ------------------------------------------------------------------------------------------- */

/* A float already rounded to an integer value, clamped to [lo, hi] and converted; NaN gives 0.
 * TFLite converts first and clamps after (undefined for values beyond int32). */
static int8_t clamped_s8_of(float r, int32_t lo, int32_t hi) {
  if (r != r) return 0;
  if (r < (float)lo) return (int8_t)lo;
  if (r > (float)hi) return (int8_t)hi;
  return (int8_t)(int32_t)r;
}

/* std::minmax_element: the first smallest and the last largest value (size >= 1). */
static void min_max_f32(const float* values, int32_t size, float* min, float* max) {
  int32_t i;
  *min = values[0];
  *max = values[0];
  for (i = 1; i < size; ++i) {
    if (values[i] < *min) *min = values[i];
    if (!(values[i] < *max)) *max = values[i];
  }
}

/* Follows tensor_utils::PortableSymmetricQuantizeFloats: scale = max(|min|, |max|) / 127,
 * q = round(x * 127 / range) (half away from zero) clamped to [-127, 127]; an all-zero input
 * gives zeros and scale 1. */
static void hybrid_symmetric_quantize(const float* values, int32_t size, int8_t* quantized, float* scaling_factor) {
  int32_t i;
  float min, max, range, inverse;
  min_max_f32(values, size, &min, &max);
  range = fabsf(min) < fabsf(max) ? fabsf(max) : fabsf(min); /* std::max */
  if (range == 0.0f) {
    memset(quantized, 0, (size_t)size);
    *scaling_factor = 1.0f;
    return;
  }
  *scaling_factor = range / 127.0f;
  inverse = 127.0f / range;
  for (i = 0; i < size; ++i) quantized[i] = clamped_s8_of(roundf(values[i] * inverse), -127, 127);
}

/* Follows tensor_utils::PortableAsymmetricQuantizeFloats: the range [min(0, min), max(0, max)]
 * mapped onto [-128, 127] in double, the zero point taken from the end with the smaller error and
 * nudged into range, then q = round(zero_point + x / scale) (float arithmetic, half away from
 * zero) clamped to [-128, 127]; an all-zero input gives zeros, scale 1 and zero point 0. */
static void hybrid_asymmetric_quantize(const float* values, int32_t size, int8_t* quantized, float* scaling_factor,
                                       int32_t* offset) {
  const double qmin = -128.0, qmax = 127.0;
  int32_t i, zero_point;
  float min, max, inverse;
  double rmin, rmax, scale, zero_point_double;
  min_max_f32(values, size, &min, &max);
  rmin = fmin(0.0, (double)min);
  rmax = fmax(0.0, (double)max);
  if (rmin == rmax) {
    memset(quantized, 0, (size_t)size);
    *scaling_factor = 1.0f;
    *offset = 0;
    return;
  }
  scale = (rmax - rmin) / (qmax - qmin);
  {
    const double from_min = qmin - rmin / scale, from_max = qmax - rmax / scale;
    const double from_min_error = fabs(qmin) + fabs(rmin / scale);
    const double from_max_error = fabs(qmax) + fabs(rmax / scale);
    zero_point_double = from_min_error < from_max_error ? from_min : from_max;
  }
  if (zero_point_double <= qmin)
    zero_point = -128;
  else if (zero_point_double >= qmax)
    zero_point = 127;
  else if (zero_point_double != zero_point_double)
    zero_point = 0; /* NaN (infinite input) */
  else
    zero_point = (int32_t)round(zero_point_double);
  *scaling_factor = (float)scale;
  *offset = zero_point;
  inverse = (float)(1.0 / (double)*scaling_factor);
  for (i = 0; i < size; ++i) quantized[i] = clamped_s8_of(roundf((float)zero_point + values[i] * inverse), -128, 127);
}

/* Stage 0 of every hybrid kernel, TFLite's per-batch loop in EvalHybrid / EvalHybridPerChannel:
 * each batch of `size` floats quantized on its own. The only place a hybrid kernel reads its
 * float input. */
static void hybrid_quantize_input(const ap_hybrid_params* p, int32_t batches, int32_t size, const float* input,
                                  int8_t* quantized, float* scales, int32_t* offsets) {
  int32_t b;
  for (b = 0; b < batches; ++b) {
    if (p->asymmetric)
      hybrid_asymmetric_quantize(input + b * size, size, quantized + b * size, &scales[b], &offsets[b]);
    else
      hybrid_symmetric_quantize(input + b * size, size, quantized + b * size, &scales[b]);
  }
}

/* The zero point of batch b's quantized input. */
static int32_t hybrid_offset(const ap_hybrid_params* p, const int32_t* offsets, int32_t b) {
  return p->asymmetric ? offsets[b] : 0;
}

/* Stage 1's output value: the int32 accumulator (wrapped as TFLite's) times
 * filter_scale[c] * input_scale (one float product, as HybridConvPerChannel and
 * DepthwiseConvHybridPerChannel; EvalHybrid's input_scale * filter_scale is the same product),
 * plus the bias, clamped (ActivationFunctionWithMinMax). */
static float hybrid_output(const ap_hybrid_params* p, int64_t acc, int32_t c, float input_scale, const float* bias) {
  const float scale = p->filter_scales[p->per_channel ? c : 0] * input_scale;
  float v = (float)wrap_s32(acc) * scale;
  if (bias) v += bias[c];
  return clamp_f32(v, p->act_min, p->act_max);
}

/* Follows conv.cc EvalHybrid (per-tensor filter scale, symmetric input) and EvalHybridPerChannel
 * with reference_ops::HybridConvPerChannel (asymmetric input): out-of-image taps are skipped,
 * i.e. the padding is a real 0. */
void ap_conv2d_hybrid(const ap_conv_shape* s, const ap_hybrid_params* p, const float* input, const int8_t* filter,
                      const float* bias, int8_t* quantized_input, float* input_scales, int32_t* input_offsets,
                      float* output) {
  const int32_t input_size = s->in_h * s->in_w * s->in_c;
  int32_t b, oy, ox, oc, ky, kx, ic;
  /* Stage 0: the float input, read for the last time. */
  hybrid_quantize_input(p, s->batches, input_size, input, quantized_input, input_scales, input_offsets);
  /* Stage 1: scratch and weights only; `input` is not touched from here on. */
  for (b = 0; b < s->batches; ++b) {
    const int32_t offset = hybrid_offset(p, input_offsets, b);
    for (oy = 0; oy < s->out_h; ++oy) {
      const int32_t in_y_origin = oy * s->stride_h - s->pad_h;
      for (ox = 0; ox < s->out_w; ++ox) {
        const int32_t in_x_origin = ox * s->stride_w - s->pad_w;
        float* out = output + ((b * s->out_h + oy) * s->out_w + ox) * ap_out_pixel_stride(s);
        for (oc = 0; oc < s->out_c; ++oc) {
          int64_t acc = 0;
          for (ky = 0; ky < s->filter_h; ++ky) {
            const int32_t in_y = in_y_origin + ky * s->dilation_h;
            if (in_y < 0 || in_y >= s->in_h) continue;
            for (kx = 0; kx < s->filter_w; ++kx) {
              const int32_t in_x = in_x_origin + kx * s->dilation_w;
              const int8_t* q;
              const int8_t* f;
              if (in_x < 0 || in_x >= s->in_w) continue;
              q = quantized_input + ((b * s->in_h + in_y) * s->in_w + in_x) * s->in_c;
              f = filter + ((oc * s->filter_h + ky) * s->filter_w + kx) * s->in_c;
              for (ic = 0; ic < s->in_c; ++ic) acc += (int64_t)f[ic] * ((int32_t)q[ic] - offset);
            }
          }
          out[oc] = hybrid_output(p, acc, oc, input_scales[b], bias);
        }
      }
    }
  }
}

/* Follows depthwise_conv.cc EvalHybridPerChannel with
 * reference_integer_ops::DepthwiseConvHybridPerChannel. */
void ap_depthwise_conv2d_hybrid(const ap_conv_shape* s, const ap_hybrid_params* p, const float* input,
                                const int8_t* filter, const float* bias, int8_t* quantized_input, float* input_scales,
                                int32_t* input_offsets, float* output) {
  const int32_t input_size = s->in_h * s->in_w * s->in_c;
  int32_t b, oy, ox, ic, m, ky, kx;
  /* Stage 0: the float input, read for the last time. */
  hybrid_quantize_input(p, s->batches, input_size, input, quantized_input, input_scales, input_offsets);
  /* Stage 1: scratch and weights only. */
  for (b = 0; b < s->batches; ++b) {
    const int32_t offset = hybrid_offset(p, input_offsets, b);
    for (oy = 0; oy < s->out_h; ++oy) {
      const int32_t in_y_origin = oy * s->stride_h - s->pad_h;
      for (ox = 0; ox < s->out_w; ++ox) {
        const int32_t in_x_origin = ox * s->stride_w - s->pad_w;
        float* out = output + ((b * s->out_h + oy) * s->out_w + ox) * ap_out_pixel_stride(s);
        for (ic = 0; ic < s->in_c; ++ic) {
          for (m = 0; m < s->depth_multiplier; ++m) {
            const int32_t oc = ic * s->depth_multiplier + m;
            int64_t acc = 0;
            for (ky = 0; ky < s->filter_h; ++ky) {
              const int32_t in_y = in_y_origin + ky * s->dilation_h;
              if (in_y < 0 || in_y >= s->in_h) continue;
              for (kx = 0; kx < s->filter_w; ++kx) {
                const int32_t in_x = in_x_origin + kx * s->dilation_w;
                if (in_x < 0 || in_x >= s->in_w) continue;
                acc += (int64_t)filter[(ky * s->filter_w + kx) * s->out_c + oc] *
                       ((int32_t)quantized_input[((b * s->in_h + in_y) * s->in_w + in_x) * s->in_c + ic] - offset);
              }
            }
            out[oc] = hybrid_output(p, acc, oc, input_scales[b], bias);
          }
        }
      }
    }
  }
}

/* Follows fully_connected.cc EvalHybrid (BatchQuantizeFloats, then
 * MatrixBatchVectorMultiplyAccumulate onto the bias; with asymmetric inputs the row sums times
 * the offset are subtracted, which is the same integer as accumulating w * (q - offset)). */
void ap_fully_connected_hybrid(const ap_fc_shape* s, const ap_hybrid_params* p, const float* input,
                               const int8_t* weights, const float* bias, int8_t* quantized_input, float* input_scales,
                               int32_t* input_offsets, float* output) {
  int32_t b, o, d;
  /* Stage 0: the float input, read for the last time. */
  hybrid_quantize_input(p, s->batches, s->in_depth, input, quantized_input, input_scales, input_offsets);
  /* Stage 1: scratch and weights only. */
  for (b = 0; b < s->batches; ++b) {
    const int8_t* q = quantized_input + b * s->in_depth;
    const int32_t offset = hybrid_offset(p, input_offsets, b);
    for (o = 0; o < s->out_depth; ++o) {
      const int8_t* w = weights + o * s->in_depth;
      int64_t acc = 0;
      for (d = 0; d < s->in_depth; ++d) acc += (int64_t)w[d] * ((int32_t)q[d] - offset);
      output[b * s->out_depth + o] = hybrid_output(p, acc, o, input_scales[b], bias);
    }
  }
}

/* ------------------------------------------------------------------------------------------- */
/* ADD                                                                                          */
/* ------------------------------------------------------------------------------------------- */

/* Follows tflite::reference_integer_ops::AddElementwise. MultiplyByQuantizedMultiplier-
 * SmallerThanOneExp equals MultiplyByQuantizedMultiplier for the shifts <= 0 it accepts. */
void ap_add_s8(int32_t count, const ap_add_quant* q, const int8_t* input1, const int8_t* input2, int8_t* output) {
  int32_t i;
  const int64_t scale = (int64_t)1 << (q->left_shift < 0 ? 0 : (q->left_shift > 31 ? 31 : q->left_shift));
  for (i = 0; i < count; ++i) {
    const int32_t shifted1 = saturate_s32(((int64_t)input1[i] + q->input1_offset) * scale);
    const int32_t shifted2 = saturate_s32(((int64_t)input2[i] + q->input2_offset) * scale);
    const int32_t scaled1 = ap_multiply_by_quantized_multiplier(shifted1, q->input1_multiplier, q->input1_shift);
    const int32_t scaled2 = ap_multiply_by_quantized_multiplier(shifted2, q->input2_multiplier, q->input2_shift);
    const int32_t sum = saturate_s32((int64_t)scaled1 + scaled2);
    const int32_t out = ap_multiply_by_quantized_multiplier(sum, q->output_multiplier, q->output_shift);
    output[i] = to_s8(clamp_s32(saturate_s32((int64_t)out + q->output_offset), q->act_min, q->act_max));
  }
}

/* Follows tflite::reference_ops::Add (float). */
void ap_add_f32(int32_t count, float act_min, float act_max, const float* input1, const float* input2, float* output) {
  int32_t i;
  for (i = 0; i < count; ++i) output[i] = clamp_f32(input1[i] + input2[i], act_min, act_max);
}

/* ------------------------------------------------------------------------------------------- */
/* AVERAGE_POOL_2D and MAX_POOL_2D                                                              */
/* ------------------------------------------------------------------------------------------- */

/* The in-bounds filter window of one output position (TFLite's filter_{x,y}_{start,end}). */
typedef struct {
  int32_t y_start, y_end, x_start, x_end;
  int32_t in_y_origin, in_x_origin;
} pool_window;

static pool_window pool_window_at(const ap_pool_shape* s, int32_t oy, int32_t ox) {
  pool_window w;
  w.in_y_origin = oy * s->stride_h - s->pad_h;
  w.in_x_origin = ox * s->stride_w - s->pad_w;
  w.y_start = w.in_y_origin < 0 ? -w.in_y_origin : 0;
  w.x_start = w.in_x_origin < 0 ? -w.in_x_origin : 0;
  w.y_end = s->in_h - w.in_y_origin < s->filter_h ? s->in_h - w.in_y_origin : s->filter_h;
  w.x_end = s->in_w - w.in_x_origin < s->filter_w ? s->in_w - w.in_x_origin : s->filter_w;
  return w;
}

static int32_t pool_in_index(const ap_pool_shape* s, int32_t b, int32_t y, int32_t x, int32_t c) {
  return ((b * s->in_h + y) * s->in_w + x) * s->depth + c;
}

static int32_t pool_out_index(const ap_pool_shape* s, int32_t b, int32_t y, int32_t x, int32_t c) {
  return ((b * s->out_h + y) * s->out_w + x) * s->depth + c;
}

/* Element i of an int8 (is_unsigned 0) or uint8 (1) array. */
static int32_t load_q8(const void* data, int32_t i, int32_t is_unsigned) {
  return is_unsigned ? (int32_t)((const uint8_t*)data)[i] : (int32_t)((const int8_t*)data)[i];
}

/* v clamped to [act_min, act_max] and to the 8-bit type, stored as element i. */
static void store_q8(void* data, int32_t i, int32_t is_unsigned, int32_t v, int32_t act_min, int32_t act_max) {
  v = clamp_s32(v, act_min, act_max);
  if (is_unsigned)
    ((uint8_t*)data)[i] = (uint8_t)clamp_s32(v, 0, 255);
  else
    ((int8_t*)data)[i] = to_s8(v);
}

/* Follows tflite::reference_integer_ops::AveragePool (int8) and reference_ops::AveragePool
 * (uint8): rounded to nearest, ties away from zero. A window with no input inside (TFLite
 * reports an error) gives 0, clamped. */
static void average_pool_q8(const ap_pool_shape* s, int32_t act_min, int32_t act_max, const void* input,
                            int32_t is_unsigned, void* output) {
  int32_t b, oy, ox, c, fy, fx;
  for (b = 0; b < s->batches; ++b) {
    for (oy = 0; oy < s->out_h; ++oy) {
      for (ox = 0; ox < s->out_w; ++ox) {
        const pool_window w = pool_window_at(s, oy, ox);
        for (c = 0; c < s->depth; ++c) {
          int32_t acc = 0, count = 0;
          for (fy = w.y_start; fy < w.y_end; ++fy) {
            for (fx = w.x_start; fx < w.x_end; ++fx) {
              acc += load_q8(input, pool_in_index(s, b, w.in_y_origin + fy, w.in_x_origin + fx, c), is_unsigned);
              ++count;
            }
          }
          if (count > 0) acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          store_q8(output, pool_out_index(s, b, oy, ox, c), is_unsigned, acc, act_min, act_max);
        }
      }
    }
  }
}

/* Follows tflite::reference_integer_ops::MaxPool (int8) and reference_ops::MaxPool (uint8). */
static void max_pool_q8(const ap_pool_shape* s, int32_t act_min, int32_t act_max, const void* input,
                        int32_t is_unsigned, void* output) {
  int32_t b, oy, ox, c, fy, fx;
  for (b = 0; b < s->batches; ++b) {
    for (oy = 0; oy < s->out_h; ++oy) {
      for (ox = 0; ox < s->out_w; ++ox) {
        const pool_window w = pool_window_at(s, oy, ox);
        for (c = 0; c < s->depth; ++c) {
          int32_t max = is_unsigned ? 0 : INT8_MIN;
          for (fy = w.y_start; fy < w.y_end; ++fy) {
            for (fx = w.x_start; fx < w.x_end; ++fx) {
              const int32_t v =
                  load_q8(input, pool_in_index(s, b, w.in_y_origin + fy, w.in_x_origin + fx, c), is_unsigned);
              if (v > max) max = v;
            }
          }
          store_q8(output, pool_out_index(s, b, oy, ox, c), is_unsigned, max, act_min, act_max);
        }
      }
    }
  }
}

void ap_average_pool_s8(const ap_pool_shape* s, int32_t act_min, int32_t act_max, const int8_t* input, int8_t* output) {
  average_pool_q8(s, act_min, act_max, input, 0, output);
}
void ap_average_pool_u8(const ap_pool_shape* s, int32_t act_min, int32_t act_max, const uint8_t* input,
                        uint8_t* output) {
  average_pool_q8(s, act_min, act_max, input, 1, output);
}
void ap_max_pool_s8(const ap_pool_shape* s, int32_t act_min, int32_t act_max, const int8_t* input, int8_t* output) {
  max_pool_q8(s, act_min, act_max, input, 0, output);
}
void ap_max_pool_u8(const ap_pool_shape* s, int32_t act_min, int32_t act_max, const uint8_t* input, uint8_t* output) {
  max_pool_q8(s, act_min, act_max, input, 1, output);
}

/* Follows tflite::reference_ops::AveragePool (float): sum / in-bounds count, clamp. */
void ap_average_pool_f32(const ap_pool_shape* s, float act_min, float act_max, const float* input, float* output) {
  int32_t b, oy, ox, c, fy, fx;
  for (b = 0; b < s->batches; ++b) {
    for (oy = 0; oy < s->out_h; ++oy) {
      for (ox = 0; ox < s->out_w; ++ox) {
        const pool_window w = pool_window_at(s, oy, ox);
        for (c = 0; c < s->depth; ++c) {
          float total = 0.0f;
          int32_t count = 0;
          for (fy = w.y_start; fy < w.y_end; ++fy) {
            for (fx = w.x_start; fx < w.x_end; ++fx) {
              total += input[pool_in_index(s, b, w.in_y_origin + fy, w.in_x_origin + fx, c)];
              ++count;
            }
          }
          output[pool_out_index(s, b, oy, ox, c)] =
              clamp_f32(count > 0 ? total / (float)count : 0.0f, act_min, act_max);
        }
      }
    }
  }
}

/* Follows tflite::reference_ops::MaxPool (float). */
void ap_max_pool_f32(const ap_pool_shape* s, float act_min, float act_max, const float* input, float* output) {
  int32_t b, oy, ox, c, fy, fx;
  for (b = 0; b < s->batches; ++b) {
    for (oy = 0; oy < s->out_h; ++oy) {
      for (ox = 0; ox < s->out_w; ++ox) {
        const pool_window w = pool_window_at(s, oy, ox);
        for (c = 0; c < s->depth; ++c) {
          float max = -3.402823466e+38f; /* std::numeric_limits<float>::lowest() */
          for (fy = w.y_start; fy < w.y_end; ++fy) {
            for (fx = w.x_start; fx < w.x_end; ++fx) {
              const float v = input[pool_in_index(s, b, w.in_y_origin + fy, w.in_x_origin + fx, c)];
              if (v > max) max = v;
            }
          }
          output[pool_out_index(s, b, oy, ox, c)] = clamp_f32(max, act_min, act_max);
        }
      }
    }
  }
}

/* ------------------------------------------------------------------------------------------- */
/* SOFTMAX                                                                                      */
/* ------------------------------------------------------------------------------------------- */

#define SOFTMAX_SCALED_DIFF_INTEGER_BITS 5
#define SOFTMAX_ACCUMULATION_INTEGER_BITS 12

/* exp(beta * input_scale * diff) in Q0 for diff = input - row max (<= 0): the difference
 * rescaled to Q5.26 by MultiplyByQuantizedMultiplierGreaterThanOne, then exp_on_negative_values. */
static int32_t softmax_exp_q0(int32_t diff, int32_t input_multiplier, int32_t input_left_shift) {
  int32_t rescaled = ap_multiply_by_quantized_multiplier(diff, input_multiplier, input_left_shift);
  return fp_exp_on_negative_values(rescaled, SOFTMAX_SCALED_DIFF_INTEGER_BITS);
}

/* One output element: int8 / uint8 (out_bits 8) or int16 (out_bits 16, int8 input), clamped. */
static void softmax_store(void* output, int32_t i, int32_t is_unsigned, int32_t out_bits, int32_t v, int32_t lo,
                          int32_t hi) {
  if (out_bits == 16)
    ((int16_t*)output)[i] = (int16_t)clamp_s32(v, lo, hi);
  else
    store_q8(output, i, is_unsigned, v, lo, hi);
}

/* Follows tflite::reference_ops::Softmax for int8 -> int8, uint8 -> uint8 and int8 -> int16
 * (softmax.h, gemmlowp fixed point): sum of exps in Q12.19, its reciprocal by GetReciprocal,
 * output scale 2^-out_bits with the output type's minimum as zero point (0 for uint8). */
static void softmax_q8(int32_t outer, int32_t depth, int32_t input_multiplier, int32_t input_left_shift,
                       int32_t diff_min, const void* input, int32_t is_unsigned, int32_t out_bits, void* output) {
  const int32_t out_min = out_bits == 16 ? INT16_MIN : (is_unsigned ? 0 : INT8_MIN);
  const int32_t out_max = out_bits == 16 ? INT16_MAX : (is_unsigned ? 255 : INT8_MAX);
  int32_t row, c;
  for (row = 0; row < outer; ++row) {
    const int32_t first = row * depth;
    int32_t max_in_row = is_unsigned ? 0 : INT8_MIN;
    int32_t sum_of_exps = 0; /* Q12.19 */
    int32_t headroom_plus_one, num_bits_over_unit, shifted_scale;
    uint32_t shifted_sum_minus_one;

    for (c = 0; c < depth; ++c)
      if (load_q8(input, first + c, is_unsigned) > max_in_row) max_in_row = load_q8(input, first + c, is_unsigned);

    for (c = 0; c < depth; ++c) {
      const int32_t diff = load_q8(input, first + c, is_unsigned) - max_in_row;
      if (diff >= diff_min) {
        const int32_t e = softmax_exp_q0(diff, input_multiplier, input_left_shift);
        const int32_t e_acc = fp_rescale(e, 0, SOFTMAX_ACCUMULATION_INTEGER_BITS);
        sum_of_exps = saturate_s32((int64_t)sum_of_exps + e_acc);
      }
    }

    if (sum_of_exps <= 0) {
      /* Only when no element passes diff_min (diff_min > 0): every output is the minimum. */
      for (c = 0; c < depth; ++c) softmax_store(output, first + c, is_unsigned, out_bits, out_min, out_min, out_max);
      continue;
    }

    /* TFLite GetReciprocal(sum_of_exps, 12, &num_bits_over_unit). */
    headroom_plus_one = count_leading_zeros_u32((uint32_t)sum_of_exps);
    num_bits_over_unit = SOFTMAX_ACCUMULATION_INTEGER_BITS - headroom_plus_one;
    shifted_sum_minus_one = ((uint32_t)sum_of_exps << headroom_plus_one) - 0x80000000u;
    shifted_scale = fp_one_over_one_plus_x_for_x_in_0_1((int32_t)shifted_sum_minus_one);

    for (c = 0; c < depth; ++c) {
      const int32_t diff = load_q8(input, first + c, is_unsigned) - max_in_row;
      int32_t v = out_min;
      if (diff >= diff_min) {
        const int32_t e = softmax_exp_q0(diff, input_multiplier, input_left_shift);
        v = rounding_divide_by_pot(fp_mul(shifted_scale, e), num_bits_over_unit + 31 - out_bits) + out_min;
      }
      softmax_store(output, first + c, is_unsigned, out_bits, v, out_min, out_max);
    }
  }
}

void ap_softmax_s8(int32_t outer, int32_t depth, int32_t input_multiplier, int32_t input_left_shift, int32_t diff_min,
                   const int8_t* input, int8_t* output) {
  softmax_q8(outer, depth, input_multiplier, input_left_shift, diff_min, input, 0, 8, output);
}
void ap_softmax_u8(int32_t outer, int32_t depth, int32_t input_multiplier, int32_t input_left_shift, int32_t diff_min,
                   const uint8_t* input, uint8_t* output) {
  softmax_q8(outer, depth, input_multiplier, input_left_shift, diff_min, input, 1, 8, output);
}
void ap_softmax_s8_s16(int32_t outer, int32_t depth, int32_t input_multiplier, int32_t input_left_shift,
                       int32_t diff_min, const int8_t* input, int16_t* output) {
  softmax_q8(outer, depth, input_multiplier, input_left_shift, diff_min, input, 0, 16, output);
}

/* Follows tflite::reference_ops::Softmax (float): exp((x - max) * beta) / sum. */
void ap_softmax_f32(int32_t outer, int32_t depth, float beta, const float* input, float* output) {
  int32_t row, c;
  for (row = 0; row < outer; ++row) {
    const float* in = input + row * depth;
    float* out = output + row * depth;
    float max = -3.402823466e+38f;
    float sum = 0.0f;
    for (c = 0; c < depth; ++c)
      if (in[c] > max) max = in[c];
    for (c = 0; c < depth; ++c) {
      const float e = expf((in[c] - max) * beta);
      out[c] = e;
      sum += e;
    }
    for (c = 0; c < depth; ++c) out[c] = out[c] / sum;
  }
}

/* gemmlowp's plain FixedPoint + and - (no saturation; the C++ wraps), without signed overflow. */
static int32_t fp_add(int32_t a, int32_t b) { return wrap_s32((int64_t)a + (int64_t)b); }
static int32_t fp_sub(int32_t a, int32_t b) { return wrap_s32((int64_t)a - (int64_t)b); }

/* TFLite's log_x_for_x_greater_than_or_equal_to_1_impl<5, 12> (kernels/internal/common.h): the
 * log of a Q12 value >= 1 in Q5. x = 2^k * r with r in [sqrt(1/2), sqrt(2)) chosen from two
 * normalisations (z_a, and z_b = z_a * sqrt(1/2)); log(r) by a rational approximation around
 * sqrt(sqrt(1/2)); the sum accumulates in Q6 so that k * log 2 may saturate without error. */
static int32_t fp_log_q12_to_q5(int32_t z_a) {
  enum { input_integer_bits = 12, output_integer_bits = 5, accum_integer_bits = 6 };
  const int32_t log_2 = 1488522236;
  const int32_t sqrt_sqrt_half = 1805811301;
  const int32_t sqrt_half = 1518500250;
  const int32_t one_quarter = 536870912;
  const int32_t alpha_n = 117049297;
  const int32_t alpha_d = 127690142;
  const int32_t alpha_i = 1057819769;
  const int32_t alpha_f = 638450708;
  const int32_t shifted_quarter = fp_rescale(one_quarter, 0, accum_integer_bits);
  const int32_t z_a_headroom_plus_1 = count_leading_zeros_u32((uint32_t)z_a);
  const int32_t r_a_tmp = fp_multiply_by_pot(z_a, z_a_headroom_plus_1 - 1);
  const int32_t r_a_raw = fp_multiply_by_pot(fp_mul(r_a_tmp, sqrt_half), 1);
  const int32_t z_a_pow_2_adj = saturate_s32(
      (int64_t)fp_multiply_by_pot(input_integer_bits - z_a_headroom_plus_1, 31 - accum_integer_bits) + shifted_quarter);
  const int32_t z_b = fp_mul(z_a, sqrt_half);
  const int32_t z_b_headroom = count_leading_zeros_u32((uint32_t)z_b) - 1;
  const int32_t r_b_raw = fp_multiply_by_pot(z_a, z_b_headroom);
  const int32_t z_b_pow_2_adj = saturate_s32(
      (int64_t)fp_multiply_by_pot(input_integer_bits - z_b_headroom, 31 - accum_integer_bits) - shifted_quarter);
  const int32_t r = r_a_raw < r_b_raw ? r_a_raw : r_b_raw;
  const int32_t z_pow_2_adj = z_a_pow_2_adj > z_b_pow_2_adj ? z_a_pow_2_adj : z_b_pow_2_adj;
  const int32_t p = fp_rounding_half_sum(r, sqrt_sqrt_half);
  const int32_t q_half = fp_sub(r, sqrt_sqrt_half);
  const int32_t q = fp_add(q_half, q_half);
  const int32_t common_sq = fp_mul(q, q);
  const int32_t num = fp_add(fp_mul(q, r), fp_mul(fp_mul(q, common_sq), alpha_n));
  const int32_t denom_minus_one =
      fp_add(fp_mul(p, fp_add(fp_add(alpha_i, q), fp_mul(alpha_d, common_sq))), fp_mul(alpha_f, q));
  const int32_t recip_denom = fp_one_over_one_plus_x_for_x_in_0_1(denom_minus_one);
  const int32_t num_scaled = fp_rescale(num, 0, accum_integer_bits);
  return fp_rescale(fp_add(fp_mul(z_pow_2_adj, log_2), fp_mul(num_scaled, recip_denom)), accum_integer_bits,
                    output_integer_bits);
}

/* Follows tflite::reference_integer_ops::LogSoftmax (int8, TFLite Micro's reference kernel):
 * the sum of exps in Q12 as SOFTMAX's, its log in Q5, output (diff - log sum) in steps of 1/16
 * with zero point 127; differences below adjusted_diff_min give -128. Each row's input is read
 * in full before its outputs are written, and output i only reads input i, so the output may
 * lie over the input. */
void ap_log_softmax_s8(int32_t outer, int32_t depth, int32_t input_multiplier, int32_t input_left_shift,
                       int32_t reverse_multiplier, int32_t reverse_right_shift, int32_t diff_min, const int8_t* input,
                       int8_t* output) {
  enum { output_zero_point = 127, input_integer_bits = 5, output_integer_bits = 4 };
  int32_t row, c;
  for (row = 0; row < outer; ++row) {
    const int8_t* in = input + row * depth;
    int8_t* out = output + row * depth;
    int32_t max_in_row = INT8_MIN;
    int32_t sum_of_exps = 0; /* Q12 */
    int32_t log_sum_of_exps, adjusted_diff_min;
    for (c = 0; c < depth; ++c)
      if (in[c] > max_in_row) max_in_row = in[c];
    for (c = 0; c < depth; ++c) {
      const int32_t diff = (int32_t)in[c] - max_in_row;
      if (diff >= diff_min) {
        const int32_t e = softmax_exp_q0(diff, input_multiplier, input_left_shift);
        sum_of_exps = fp_add(sum_of_exps, fp_rescale(e, 0, SOFTMAX_ACCUMULATION_INTEGER_BITS));
      }
    }
    log_sum_of_exps = fp_log_q12_to_q5(sum_of_exps);
    adjusted_diff_min = ap_multiply_by_quantized_multiplier(fp_add(log_sum_of_exps, INT32_MIN), reverse_multiplier,
                                                            -reverse_right_shift);
    if (adjusted_diff_min < diff_min - 1) adjusted_diff_min = diff_min - 1;
    for (c = 0; c < depth; ++c) {
      const int32_t diff = (int32_t)in[c] - max_in_row;
      int32_t v = INT8_MIN;
      if (diff > adjusted_diff_min) {
        const int32_t diff_q5 = ap_multiply_by_quantized_multiplier(diff, input_multiplier, input_left_shift);
        v = rounding_divide_by_pot(fp_sub(diff_q5, log_sum_of_exps), 31 - input_integer_bits - output_integer_bits) +
            output_zero_point;
      }
      out[c] = to_s8(v);
    }
  }
}

/* ------------------------------------------------------------------------------------------- */
/* QUANTIZE, DEQUANTIZE, copies                                                                 */
/* ------------------------------------------------------------------------------------------- */

/* Follows tflite::reference_ops::AffineQuantize: round(x / scale) (half away from zero) +
 * zero point, clamped. Out-of-range values (UB in TFLite's cast) clamp; NaN gives the zero point. */
void ap_quantize_f32_s8(int32_t count, float scale, int32_t zero_point, const float* input, int8_t* output) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    float r = roundf(input[i] / scale);
    int64_t q;
    if (r != r) r = 0.0f;
    if (r > 1024.0f) r = 1024.0f;
    if (r < -1024.0f) r = -1024.0f;
    q = (int64_t)(int32_t)r + zero_point;
    output[i] = to_s8(saturate_s32(q));
  }
}

/* Follows tflite::reference_ops::Requantize (int8 -> int8). */
void ap_requantize_s8(int32_t count, int32_t input_offset, int32_t multiplier, int32_t shift, int32_t output_offset,
                      const int8_t* input, int8_t* output) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    const int32_t x = saturate_s32((int64_t)input[i] + input_offset);
    const int32_t v = ap_multiply_by_quantized_multiplier(x, multiplier, shift);
    output[i] = to_s8(saturate_s32((int64_t)v + output_offset));
  }
}

/* Follows tflite::reference_ops::Dequantize: the scale as double, as TFLite's op params. */
void ap_dequantize_s8_f32(int32_t count, float scale, int32_t zero_point, const int8_t* input, float* output) {
  int32_t i;
  for (i = 0; i < count; ++i) output[i] = (float)((double)scale * ((double)input[i] - (double)zero_point));
}

/* RESHAPE and friends. */
void ap_copy(uint32_t bytes, const void* input, void* output) {
  if (input == output || bytes == 0) return;
  memmove(output, input, bytes);
}
