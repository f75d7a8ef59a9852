/* kernels_uint8.c: the uint8 kernels of arenaplan_kernels.h (TFLite's legacy asymmetric scheme:
 * per-tensor scale and zero point on activations and weights). Strict C99, no allocation, no
 * state; TFLite's reference_ops semantics for uint8 (Conv, DepthwiseConv, FullyConnected, Add):
 * int32 sums of (weight + filter_offset) * (input + input_offset), + bias, one
 * MultiplyByQuantizedMultiplier, + output_offset, clamped to [act_min, act_max] (within 0..255).
 * Sums are 64-bit and wrapped to 32 bits as TFLite's int32 accumulator would be.
 */
#include <math.h>
#include <string.h>

#include "arenaplan_kernels.h"
#include "kernels_internal.h"

static int32_t u8_saturate(int64_t v) {
  if (v > INT32_MAX) return INT32_MAX;
  if (v < INT32_MIN) return INT32_MIN;
  return (int32_t)v;
}

/* The low 32 bits of v as two's complement, without implementation-defined conversions. */
static int32_t u8_wrap(int64_t v) {
  const uint32_t u = (uint32_t)v;
  return u <= (uint32_t)INT32_MAX ? (int32_t)u : (int32_t)(u - 2147483648u) + INT32_MIN;
}

static uint8_t u8_clamp(int32_t v, int32_t lo, int32_t hi) {
  if (v < lo) v = lo;
  if (v > hi) v = hi;
  if (v < 0) v = 0;
  if (v > 255) v = 255;
  return (uint8_t)v;
}

static uint8_t u8_output(int64_t acc, const ap_quant_u8* q) {
  const int32_t v = ap_multiply_by_quantized_multiplier(u8_wrap(acc), q->multiplier, q->shift);
  return u8_clamp(u8_saturate((int64_t)v + q->output_offset), q->act_min, q->act_max);
}

/* Follows tflite::reference_ops::Conv (uint8): filter OHWI, taps outside the image skipped. */
void ap_conv2d_u8(const ap_conv_shape* s, const ap_quant_u8* q, const uint8_t* input, const uint8_t* filter,
                  const int32_t* bias, uint8_t* output) {
  int32_t b, oy, ox, oc, ky, kx, ic;
  for (b = 0; b < s->batches; ++b) {
    for (oy = 0; oy < s->out_h; ++oy) {
      const int32_t in_y_origin = oy * s->stride_h - s->pad_h;
      for (ox = 0; ox < s->out_w; ++ox) {
        const int32_t in_x_origin = ox * s->stride_w - s->pad_w;
        uint8_t* out = output + ((b * s->out_h + oy) * s->out_w + ox) * ap_out_pixel_stride(s);
        for (oc = 0; oc < s->out_c; ++oc) {
          int64_t acc = 0;
          for (ky = 0; ky < s->filter_h; ++ky) {
            const int32_t in_y = in_y_origin + ky * s->dilation_h;
            if (in_y < 0 || in_y >= s->in_h) continue;
            for (kx = 0; kx < s->filter_w; ++kx) {
              const int32_t in_x = in_x_origin + kx * s->dilation_w;
              const uint8_t* in;
              const uint8_t* f;
              if (in_x < 0 || in_x >= s->in_w) continue;
              in = input + ((b * s->in_h + in_y) * s->in_w + in_x) * s->in_c;
              f = filter + ((oc * s->filter_h + ky) * s->filter_w + kx) * s->in_c;
              for (ic = 0; ic < s->in_c; ++ic)
                acc += (int64_t)((int32_t)f[ic] + q->filter_offset) * ((int32_t)in[ic] + q->input_offset);
            }
          }
          if (bias) acc += bias[oc];
          out[oc] = u8_output(acc, q);
        }
      }
    }
  }
}

/* Follows tflite::reference_ops::DepthwiseConv (uint8): filter 1HW(C*M), output channel
 * ic * depth_multiplier + m. */
void ap_depthwise_conv2d_u8(const ap_conv_shape* s, const ap_quant_u8* q, const uint8_t* input, const uint8_t* filter,
                            const int32_t* bias, uint8_t* output) {
  int32_t b, oy, ox, ic, m, ky, kx;
  for (b = 0; b < s->batches; ++b) {
    for (oy = 0; oy < s->out_h; ++oy) {
      const int32_t in_y_origin = oy * s->stride_h - s->pad_h;
      for (ox = 0; ox < s->out_w; ++ox) {
        const int32_t in_x_origin = ox * s->stride_w - s->pad_w;
        uint8_t* out = output + ((b * s->out_h + oy) * s->out_w + ox) * ap_out_pixel_stride(s);
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
                acc += (int64_t)(f_val + q->filter_offset) * (in_val + q->input_offset);
              }
            }
            if (bias) acc += bias[oc];
            out[oc] = u8_output(acc, q);
          }
        }
      }
    }
  }
}

/* Follows tflite::reference_ops::FullyConnected (uint8 in and out). */
void ap_fully_connected_u8(const ap_fc_shape* s, const ap_quant_u8* q, const uint8_t* input, const uint8_t* weights,
                           const int32_t* bias, uint8_t* output) {
  int32_t b, o, d;
  for (b = 0; b < s->batches; ++b) {
    const uint8_t* in = input + b * s->in_depth;
    for (o = 0; o < s->out_depth; ++o) {
      const uint8_t* w = weights + o * s->in_depth;
      int64_t acc = 0;
      for (d = 0; d < s->in_depth; ++d)
        acc += (int64_t)((int32_t)w[d] + q->filter_offset) * ((int32_t)in[d] + q->input_offset);
      if (bias) acc += bias[o];
      output[b * s->out_depth + o] = u8_output(acc, q);
    }
  }
}

/* Follows tflite::reference_ops::AddElementwise (uint8): the arithmetic of ap_add_s8. */
void ap_add_u8(int32_t count, const ap_add_quant* q, const uint8_t* input1, const uint8_t* input2, uint8_t* output) {
  int32_t i;
  const int64_t scale = (int64_t)1 << (q->left_shift < 0 ? 0 : (q->left_shift > 31 ? 31 : q->left_shift));
  for (i = 0; i < count; ++i) {
    const int32_t shifted1 = u8_saturate(((int64_t)input1[i] + q->input1_offset) * scale);
    const int32_t shifted2 = u8_saturate(((int64_t)input2[i] + q->input2_offset) * scale);
    const int32_t scaled1 = ap_multiply_by_quantized_multiplier(shifted1, q->input1_multiplier, q->input1_shift);
    const int32_t scaled2 = ap_multiply_by_quantized_multiplier(shifted2, q->input2_multiplier, q->input2_shift);
    const int32_t sum = u8_saturate((int64_t)scaled1 + scaled2);
    const int32_t out = ap_multiply_by_quantized_multiplier(sum, q->output_multiplier, q->output_shift);
    output[i] = u8_clamp(u8_saturate((int64_t)out + q->output_offset), q->act_min, q->act_max);
  }
}

/* Follows reference_ops::ConcatenationWithScaling (uint8): a part quantized as the output is
 * copied; any other is rescaled in float, round(x * scale + bias) + output zero point, clamped. */
void ap_concatenation_u8(const ap_concat_params* p, const ap_concat_part_u8* parts, const void* const* inputs,
                         void* output) {
  uint8_t* out = (uint8_t*)output;
  int32_t k, i, j;
  for (k = 0; k < p->outer; ++k) {
    for (i = 0; i < p->parts; ++i) {
      const int32_t size = p->axis_sizes[i] * p->inner_bytes;
      const uint8_t* in = (const uint8_t*)inputs[i] + (size_t)k * (size_t)size;
      if (!parts[i].requantize) {
        memcpy(out, in, (size_t)size);
      } else {
        for (j = 0; j < size; ++j) {
          const float r = roundf((float)in[j] * parts[i].scale + parts[i].bias);
          const int32_t v = (r > 1024.0f ? 1024 : (r < -1024.0f ? -1024 : (int32_t)r)) + parts[i].output_zero_point;
          out[j] = (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
        }
      }
      out += size;
    }
  }
}
