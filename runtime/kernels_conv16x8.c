/* kernels_conv16x8.c: the 16x8 convolutions of arenaplan_kernels.h (int16 activations with zero
 * point 0, int8 per-channel weights, int64 bias). Strict C99, no allocation, no state; TFLite
 * Micro's reference semantics (reference_integer_ops::ConvPerChannel and TransposeConv for
 * int16): 64-bit accumulation, then the 64-bit MultiplyByQuantizedMultiplier.
 */
#include "arenaplan_kernels.h"

static int32_t clamp_acc(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

/* TFLite's MultiplyByQuantizedMultiplier(int64_t x, ...): the multiplier rounded to 16 bits, one
 * rounding shift by 15 - shift, the result's low 32 bits. TFLite asserts |x| < 2^47 and shift in
 * [-31, 7]; beyond that this saturates x and clamps the shift, so it stays defined. */
int32_t ap_multiply_by_quantized_multiplier_s64(int64_t x, int32_t multiplier, int32_t shift) {
  const int64_t limit = (int64_t)1 << 47;
  const int64_t reduced = multiplier < 0 ? 0 : (multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF);
  const int32_t total_shift = 15 - (shift < -31 ? -31 : (shift > 7 ? 7 : shift));
  int64_t result;
  uint32_t low;
  if (x >= limit) x = limit - 1;
  if (x < -limit) x = -limit;
  result = x * reduced + ((int64_t)1 << (total_shift - 1));
  /* An arithmetic right shift, written without shifting a negative value. */
  result = result >= 0 ? result >> total_shift : ~((~result) >> total_shift);
  low = (uint32_t)result;
  return low <= (uint32_t)INT32_MAX ? (int32_t)low : (int32_t)(low - 2147483648u) + INT32_MIN;
}

static int16_t requantize_s16(int64_t acc, const ap_conv_quant* q, int32_t channel) {
  const int32_t v = ap_multiply_by_quantized_multiplier_s64(acc, q->multiplier[channel], q->shift[channel]);
  return (int16_t)clamp_acc(v, q->act_min, q->act_max);
}

/* The sum over the input channels at input pixel (b, iy, ix) through filter tap (oc, fy, fx). */
static int64_t tap(const ap_conv_shape* s, const int16_t* input, const int8_t* filter, int32_t b, int32_t iy,
                   int32_t ix, int32_t oc, int32_t fy, int32_t fx) {
  const int16_t* in = input + (((int64_t)b * s->in_h + iy) * s->in_w + ix) * s->in_c;
  const int8_t* f = filter + (((int64_t)oc * s->filter_h + fy) * s->filter_w + fx) * s->in_c;
  int64_t acc = 0;
  int32_t ic;
  for (ic = 0; ic < s->in_c; ++ic) acc += (int64_t)f[ic] * in[ic];
  return acc;
}

/* Follows reference_integer_ops::ConvPerChannel (int16 input): input and output zero points are
 * 0 (quant's offsets are not used); points outside the image are skipped. */
void ap_conv2d_s16(const ap_conv_shape* s, const ap_conv_quant* q, const int16_t* input, const int8_t* filter,
                   const int64_t* bias, int16_t* output) {
  int32_t b, oy, ox, oc, fy, fx;
  for (b = 0; b < s->batches; ++b)
    for (oy = 0; oy < s->out_h; ++oy)
      for (ox = 0; ox < s->out_w; ++ox)
        for (oc = 0; oc < s->out_c; ++oc) {
          int64_t acc = 0;
          for (fy = 0; fy < s->filter_h; ++fy) {
            const int32_t iy = oy * s->stride_h - s->pad_h + s->dilation_h * fy;
            if (iy < 0 || iy >= s->in_h) continue;
            for (fx = 0; fx < s->filter_w; ++fx) {
              const int32_t ix = ox * s->stride_w - s->pad_w + s->dilation_w * fx;
              if (ix >= 0 && ix < s->in_w) acc += tap(s, input, filter, b, iy, ix, oc, fy, fx);
            }
          }
          if (bias) acc += bias[oc];
          output[(((int64_t)b * s->out_h + oy) * s->out_w + ox) * s->out_c + oc] = requantize_s16(acc, q, oc);
        }
}

/* reference_integer_ops::TransposeConv (int16 input) scatters every input element into an int64
 * buffer of output sums; this gathers each output's terms instead (the same integer sum, exact in
 * either order), so it needs no scratch. Input y contributes to output oy through filter row
 * fy = oy + pad_h - y * stride_h when that is in [0, filter_h). Filter OHWI, dilation 1. */
void ap_transpose_conv_s16(const ap_conv_shape* s, const ap_conv_quant* q, const int16_t* input, const int8_t* filter,
                           const int64_t* bias, int16_t* output) {
  int32_t b, oy, ox, oc, iy, ix;
  for (b = 0; b < s->batches; ++b)
    for (oy = 0; oy < s->out_h; ++oy)
      for (ox = 0; ox < s->out_w; ++ox)
        for (oc = 0; oc < s->out_c; ++oc) {
          int64_t acc = 0;
          for (iy = 0; iy < s->in_h; ++iy) {
            const int32_t fy = oy + s->pad_h - iy * s->stride_h;
            if (fy < 0 || fy >= s->filter_h) continue;
            for (ix = 0; ix < s->in_w; ++ix) {
              const int32_t fx = ox + s->pad_w - ix * s->stride_w;
              if (fx >= 0 && fx < s->filter_w) acc += tap(s, input, filter, b, iy, ix, oc, fy, fx);
            }
          }
          if (bias) acc += bias[oc];
          output[(((int64_t)b * s->out_h + oy) * s->out_w + ox) * s->out_c + oc] = requantize_s16(acc, q, oc);
        }
}
