/* Kernels for operators that ONNX models bring (src/importers/onnx/): C99, no allocation. */
#include <math.h>

#include "arenaplan_kernels.h"

/* Follows tflite::reference_ops::LocalResponseNormalization (float): along the last (channel)
 * dimension, out = in * (bias + alpha * sum of in^2 over c - radius .. c + radius)^-beta. ONNX's
 * LRN is the same with radius (size - 1) / 2 and alpha / size (the importer converts). */
void ap_lrn_f32(int32_t outer, int32_t depth, int32_t radius, float bias, float alpha, float beta, const float* input,
                float* output) {
  int32_t i, c, k;
  for (i = 0; i < outer; ++i) {
    const float* in = input + (int64_t)i * depth;
    float* out = output + (int64_t)i * depth;
    for (c = 0; c < depth; ++c) {
      const int32_t begin = c - radius < 0 ? 0 : c - radius;
      const int32_t end = c + radius + 1 > depth ? depth : c + radius + 1;
      float accum = 0.0f;
      for (k = begin; k < end; ++k) accum += in[k] * in[k];
      out[c] = in[c] * powf(bias + alpha * accum, -beta);
    }
  }
}
