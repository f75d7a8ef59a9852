/* kernels_quantize.c: QUANTIZE and DEQUANTIZE between float32 and uint8 / int16 (and int8) of
 * arenaplan_kernels.h. Strict C99, no allocation, no state. */
#include <math.h>

#include "kernels_internal.h"

/* Follows tflite::reference_ops::AffineQuantize. A NaN becomes the zero point; values far beyond
 * the type's range are capped before the integer conversion (TFLite's is undefined there). */
void ap_quantize_f32(int32_t count, int32_t type, float scale, int32_t zero_point, const float* input, void* output) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    float r = roundf(input[i] / scale);
    if (r != r) r = 0.0f;
    if (r > 131072.0f) r = 131072.0f;
    if (r < -131072.0f) r = -131072.0f;
    ap_store_element(type, output, i, ap_saturate_to_s32((int64_t)(int32_t)r + zero_point));
  }
}

/* Follows tflite::reference_ops::Dequantize (the scale widened to double). */
void ap_dequantize_f32(int32_t count, int32_t type, float scale, int32_t zero_point, const void* input, float* output) {
  int32_t i;
  for (i = 0; i < count; ++i)
    output[i] = (float)((double)scale * ((double)ap_load_element(type, input, i) - (double)zero_point));
}
