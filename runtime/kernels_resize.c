/* kernels_resize.c: RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR of arenaplan_kernels.h (NHWC).
 * Strict C99, no allocation, no state; TFLite's reference semantics (reference_ops::
 * ResizeBilinear for float32 and uint8, with a rounding offset of 0.5 for uint8;
 * ResizeBilinearInteger, 10 fractional bits, for int8; ResizeNearestNeighbor for any type).
 * Float expressions are written in TFLite's order; the library is built without contraction
 * (-std=c99 implies -ffp-contract=off in GCC), so the float results are TFLite's.
 */
#include <math.h>
#include <string.h>

#include "arenaplan_kernels.h"

/* The scale from output to input coordinates, as TFLite computes it in float. */
static float resize_scale(int32_t in, int32_t out, int32_t align_corners) {
  if (align_corners && out > 1) return (float)(in - 1) / (float)(out - 1);
  return (float)in / (float)out;
}

/* TFLite's ComputeInterpolationValues (float). */
static void interpolation_values(int32_t value, float scale, int32_t half_pixel_centers, int32_t in_size, float* scaled,
                                 int32_t* lower, int32_t* upper) {
  int32_t hi;
  *scaled = half_pixel_centers ? ((float)value + 0.5f) * scale - 0.5f : (float)value * scale;
  *lower = (int32_t)floorf(*scaled);
  if (*lower < 0) *lower = 0;
  hi = (int32_t)ceilf(*scaled);
  *upper = hi < in_size - 1 ? hi : in_size - 1;
}

static int32_t in_index(const ap_resize_params* p, int32_t b, int32_t y, int32_t x) {
  return ((b * p->in_h + y) * p->in_w + x) * p->depth;
}

/* float32 (rounding 0) and uint8 (rounding 0.5, then truncation, as TFLite's static_cast). */
static void bilinear_float(const ap_resize_params* p, const float* in_f, const uint8_t* in_u, float* out_f,
                           uint8_t* out_u) {
  const float height_scale = resize_scale(p->in_h, p->out_h, p->align_corners);
  const float width_scale = resize_scale(p->in_w, p->out_w, p->align_corners);
  const float rounding = in_u ? 0.5f : 0.0f;
  int32_t b, y, x, c;
  for (b = 0; b < p->batches; ++b) {
    for (y = 0; y < p->out_h; ++y) {
      float input_y;
      int32_t y0, y1;
      interpolation_values(y, height_scale, p->half_pixel_centers, p->in_h, &input_y, &y0, &y1);
      for (x = 0; x < p->out_w; ++x) {
        float input_x;
        int32_t x0, x1;
        const int32_t o = ((b * p->out_h + y) * p->out_w + x) * p->depth;
        interpolation_values(x, width_scale, p->half_pixel_centers, p->in_w, &input_x, &x0, &x1);
        for (c = 0; c < p->depth; ++c) {
          const int32_t i00 = in_index(p, b, y0, x0) + c, i10 = in_index(p, b, y1, x0) + c;
          const int32_t i01 = in_index(p, b, y0, x1) + c, i11 = in_index(p, b, y1, x1) + c;
          const float v00 = in_u ? (float)in_u[i00] : in_f[i00], v10 = in_u ? (float)in_u[i10] : in_f[i10];
          const float v01 = in_u ? (float)in_u[i01] : in_f[i01], v11 = in_u ? (float)in_u[i11] : in_f[i11];
          const float dy = input_y - (float)y0, dx = input_x - (float)x0;
          const float v =
              v00 * (1 - dy) * (1 - dx) + v10 * dy * (1 - dx) + v01 * (1 - dy) * dx + v11 * dy * dx + rounding;
          if (out_u)
            out_u[o + c] = (uint8_t)(v < 0.0f ? 0.0f : (v > 255.0f ? 255.0f : v));
          else
            out_f[o + c] = v;
        }
      }
    }
  }
}

void ap_resize_bilinear_f32(const ap_resize_params* p, const float* input, float* output) {
  bilinear_float(p, input, 0, output, 0);
}

void ap_resize_bilinear_u8(const ap_resize_params* p, const uint8_t* input, uint8_t* output) {
  bilinear_float(p, 0, input, 0, output);
}

/* TFLite's scale_10: the scale in 10 fractional bits, rounded. */
static int32_t scale_10(int32_t in, int32_t out, int32_t align_corners) {
  if (align_corners && out > 1) return ((1 << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
  return ((1 << 10) * in + out / 2) / out;
}

/* TFLite's ComputeInterpolationValuesInteger. */
static void interpolation_values_10(int32_t value, int32_t scale, int32_t half_pixel_centers, int32_t in_size,
                                    int32_t* scaled, int32_t* lower, int32_t* upper) {
  int32_t hi;
  *scaled = half_pixel_centers ? value * scale + scale / 2 - (1 << 9) : value * scale;
  *lower = *scaled / (1 << 10);
  if (*lower < 0) *lower = 0;
  hi = (*scaled + (1 << 10) - 1) / (1 << 10);
  *upper = hi < in_size - 1 ? hi : in_size - 1;
}

/* Follows reference_ops::ResizeBilinearInteger (int8): weights in 10 bits each, the 20-bit
 * sum rounded half away from zero. */
void ap_resize_bilinear_s8(const ap_resize_params* p, const int8_t* input, int8_t* output) {
  const int32_t hs = scale_10(p->in_h, p->out_h, p->align_corners);
  const int32_t ws = scale_10(p->in_w, p->out_w, p->align_corners);
  const int64_t one = 1 << 10;
  int32_t b, y, x, c;
  for (b = 0; b < p->batches; ++b) {
    for (y = 0; y < p->out_h; ++y) {
      int32_t input_y, y0, y1;
      interpolation_values_10(y, hs, p->half_pixel_centers, p->in_h, &input_y, &y0, &y1);
      for (x = 0; x < p->out_w; ++x) {
        int32_t input_x, x0, x1;
        const int32_t o = ((b * p->out_h + y) * p->out_w + x) * p->depth;
        int64_t dy, dx;
        interpolation_values_10(x, ws, p->half_pixel_centers, p->in_w, &input_x, &x0, &x1);
        dy = input_y - one * y0;
        dx = input_x - one * x0;
        for (c = 0; c < p->depth; ++c) {
          const int64_t sum = (int64_t)input[in_index(p, b, y0, x0) + c] * (one - dy) * (one - dx) +
                              (int64_t)input[in_index(p, b, y1, x0) + c] * dy * (one - dx) +
                              (int64_t)input[in_index(p, b, y0, x1) + c] * (one - dy) * dx +
                              (int64_t)input[in_index(p, b, y1, x1) + c] * dy * dx;
          const int64_t round = sum > 0 ? (1 << 19) : -(1 << 19);
          int64_t v = (sum + round) / (1 << 20);
          if (v < INT8_MIN) v = INT8_MIN;
          if (v > INT8_MAX) v = INT8_MAX;
          output[o + c] = (int8_t)v;
        }
      }
    }
  }
}

/* TFLite's GetNearestNeighbor. */
static int32_t nearest(int32_t value, int32_t in_size, int32_t out_size, int32_t align_corners,
                       int32_t half_pixel_centers) {
  const float scale = resize_scale(in_size, out_size, align_corners);
  const float offset = half_pixel_centers ? 0.5f : 0.0f;
  const float scaled = ((float)value + offset) * scale;
  int32_t v = align_corners ? (int32_t)roundf(scaled) : (int32_t)floorf(scaled);
  if (v > in_size - 1) v = in_size - 1;
  if (half_pixel_centers && v < 0) v = 0;
  return v;
}

/* Follows reference_ops::ResizeNearestNeighbor: whole elements copied, any type. */
void ap_resize_nearest(const ap_resize_params* p, int32_t element_size, const void* input, void* output) {
  const unsigned char* in = (const unsigned char*)input;
  unsigned char* out = (unsigned char*)output;
  const size_t pixel = (size_t)p->depth * (size_t)element_size;
  int32_t b, y, x;
  for (b = 0; b < p->batches; ++b) {
    for (y = 0; y < p->out_h; ++y) {
      const int32_t iy = nearest(y, p->in_h, p->out_h, p->align_corners, p->half_pixel_centers);
      for (x = 0; x < p->out_w; ++x) {
        const int32_t ix = nearest(x, p->in_w, p->out_w, p->align_corners, p->half_pixel_centers);
        memcpy(out + (size_t)((b * p->out_h + y) * p->out_w + x) * pixel,
               in + (size_t)in_index(p, b, iy, ix) * (size_t)element_size, pixel);
      }
    }
  }
}
