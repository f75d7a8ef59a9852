/* kernels_activation.c: the activation functions of arenaplan_kernels.h (RELU, RELU6,
 * RELU_N1_TO_1, LOGISTIC, TANH, HARD_SWISH). Strict C99, no allocation, no state. Each loop reads
 * element i before it writes element i, so the output may be the input's own bytes. */
#include <math.h>

#include "kernels_internal.h"

/* Follows tflite::reference_ops::ReluX (quantized). */
void ap_relu_q(int32_t count, const ap_relu_quant* q, const void* input, void* output) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    const int32_t x = ap_load_element(q->type, input, i) - q->input_zero_point;
    const int32_t scaled = ap_multiply_by_quantized_multiplier(x, q->multiplier, q->shift);
    ap_store_element(q->type, output, i, ap_clamp_to(q->output_zero_point + scaled, q->act_min, q->act_max));
  }
}

void ap_relu_f32(int32_t count, int32_t kind, const float* input, float* output) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    const float x = input[i];
    float y;
    if (kind == 2) {
      y = x > 1.0f ? 1.0f : (x < -1.0f ? -1.0f : x); /* reference_ops::Relu1 */
    } else if (kind == 3) {
      const float lo = 0.0f < x ? x : 0.0f; /* std::max(0.f, x) */
      y = 6.0f < lo ? 6.0f : lo;            /* std::min(lo, 6.f) */
    } else {
      y = x < 0.0f ? 0.0f : x; /* reference_ops::Relu */
    }
    output[i] = y;
  }
}

void ap_lookup_8bit(int32_t count, const uint8_t* table, const void* input, void* output) {
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  int32_t i;
  for (i = 0; i < count; ++i) out[i] = table[in[i]];
}

/* Follows tflite::reference_ops::Logistic (float). */
void ap_logistic_f32(int32_t count, const float* input, float* output) {
  const float cutoff_upper = 16.619047164916992188f;
  const float cutoff_lower = -9.0f;
  int32_t i;
  for (i = 0; i < count; ++i) {
    const float x = input[i];
    float y;
    if (x > cutoff_upper)
      y = 1.0f;
    else if (x < cutoff_lower)
      y = expf(x);
    else
      y = 1.0f / (1.0f + expf(-x));
    output[i] = y;
  }
}

void ap_tanh_f32(int32_t count, const float* input, float* output) {
  int32_t i;
  for (i = 0; i < count; ++i) output[i] = tanhf(input[i]);
}

/* Follows tflite::reference_ops::HardSwish (float). */
void ap_hard_swish_f32(int32_t count, const float* input, float* output) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    const float x = input[i];
    const float relu = x + 3.0f > 0.0f ? x + 3.0f : 0.0f;
    output[i] = x * (relu < 6.0f ? relu : 6.0f) / 6.0f;
  }
}

void ap_rsqrt_f32(int32_t count, const float* input, float* output) {
  int32_t i;
  for (i = 0; i < count; ++i) output[i] = 1.0f / sqrtf(input[i]);
}

/* Follows tflite::reference_ops::LogSoftmax (float): per row, x - max - log(sum(exp(x - max))). The
 * row is read in full before its last pass, which reads x[c] and then writes y[c]. */
void ap_log_softmax_f32(int32_t outer, int32_t depth, const float* input, float* output) {
  int32_t r, c;
  for (r = 0; r < outer; ++r) {
    const float* x = input + (int64_t)r * depth;
    float* y = output + (int64_t)r * depth;
    float max = -3.402823466e+38f, sum = 0.0f, log_sum;
    for (c = 0; c < depth; ++c) max = max > x[c] ? max : x[c];
    for (c = 0; c < depth; ++c) sum += expf(x[c] - max);
    log_sum = logf(sum);
    for (c = 0; c < depth; ++c) y[c] = x[c] - max - log_sum;
  }
}
