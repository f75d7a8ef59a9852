/* kernels_svdf.c: SVDF of arenaplan_kernels.h. Strict C99, no allocation; the only state is the
 * caller's activation state tensor (a variable that persists across runs). TFLite Micro's
 * reference semantics (svdf_common.cc): shift the state left by one, write input x
 * weights_feature into each filter's newest slot, then per unit sum the rank filters' state x
 * weights_time dot products onto the bias. TFLite Micro keeps those dot products and sums in
 * two int32 scratch buffers; the same integer (or float, in the same order) sums are kept here
 * in locals, so the kernel needs no scratch.
 */
#include "arenaplan_kernels.h"

static int32_t clamp_i32(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

/* v modulo 2^8 or 2^16 (mask 0xFF / 0xFFFF) as a signed value: a two's complement narrowing,
 * written so that it does not depend on the compiler's conversion of out-of-range values. */
static int32_t wrap(int32_t v, int32_t mask) {
  const int32_t low = v & mask;
  return low > (mask >> 1) ? low - mask - 1 : low;
}

/* The state of one batch is filters x memory, the newest entry of a filter last; shift every
 * entry of every batch one to the left (the batches are contiguous, as in TFLite Micro, which
 * moves the whole buffer by one element). */
static void shift_state(void* state, int32_t count, int32_t element_size) {
  uint8_t* s = (uint8_t*)state;
  int32_t i;
  for (i = 0; i + element_size < count * element_size; ++i) s[i] = s[i + element_size];
}

static int32_t state_at(const ap_svdf_params* p, const void* state, int32_t i) {
  return p->state_int8 ? ((const int8_t*)state)[i] : ((const int16_t*)state)[i];
}

static int32_t time_weight(const ap_svdf_params* p, const void* weights_time, int32_t i) {
  return p->state_int8 ? ((const int8_t*)weights_time)[i] : ((const int16_t*)weights_time)[i];
}

void ap_svdf_s8(const ap_svdf_params* p, const int8_t* input, const int8_t* weights_feature, const void* weights_time,
                const int32_t* bias, void* state, int8_t* output) {
  const int32_t units = p->filters / p->rank;
  const int32_t state_min = p->state_int8 ? INT8_MIN : INT16_MIN, state_max = p->state_int8 ? INT8_MAX : INT16_MAX;
  int32_t b, f, c, u, r, m;
  shift_state(state, p->batches * p->filters * p->memory, p->state_int8 ? 1 : 2);
  for (b = 0; b < p->batches; ++b) {
    const int8_t* x = input + b * p->input_size;
    for (f = 0; f < p->filters; ++f) {
      const int8_t* w = weights_feature + f * p->input_size;
      const int32_t slot = (b * p->filters + f) * p->memory + p->memory - 1;
      int32_t acc = 0, v;
      for (c = 0; c < p->input_size; ++c) acc += w[c] * (x[c] - p->input_zero_point);
      /* As TFLite Micro at the golden data's commit (90b983c): clamp to the state type, then add
       * the zero point and narrow, wrapping (later versions add it before the clamp). The int16
       * state has zero point 0, so only the int8 state can wrap. */
      v = ap_multiply_by_quantized_multiplier(acc, p->feature_multiplier, p->feature_shift);
      v = clamp_i32(v, state_min, state_max) + p->state_zero_point;
      if (p->state_int8)
        ((int8_t*)state)[slot] = (int8_t)wrap(v, 0xFF);
      else
        ((int16_t*)state)[slot] = (int16_t)wrap(v, 0xFFFF);
    }
  }
  for (b = 0; b < p->batches; ++b) {
    for (u = 0; u < units; ++u) {
      int32_t sum = bias ? bias[u] : 0;
      for (r = 0; r < p->rank; ++r) {
        const int32_t filter = u * p->rank + r;
        const int32_t base = (b * p->filters + filter) * p->memory;
        int32_t dot = 0;
        for (m = 0; m < p->memory; ++m)
          dot += time_weight(p, weights_time, filter * p->memory + m) *
                 (state_at(p, state, base + m) - p->state_zero_point);
        sum += dot;
      }
      sum = ap_multiply_by_quantized_multiplier(sum, p->output_multiplier, p->output_shift) + p->output_zero_point;
      output[b * units + u] = (int8_t)clamp_i32(sum, INT8_MIN, INT8_MAX);
    }
  }
}

void ap_svdf_f32(const ap_svdf_params* p, float act_min, float act_max, const float* input,
                 const float* weights_feature, const float* weights_time, const float* bias, float* state,
                 float* output) {
  const int32_t units = p->filters / p->rank;
  int32_t b, f, c, u, r, m;
  shift_state(state, p->batches * p->filters * p->memory, (int32_t)sizeof(float));
  for (b = 0; b < p->batches; ++b) {
    const float* x = input + b * p->input_size;
    for (f = 0; f < p->filters; ++f) {
      const float* w = weights_feature + f * p->input_size;
      float acc = 0.0f;
      for (c = 0; c < p->input_size; ++c) acc += w[c] * x[c];
      state[(b * p->filters + f) * p->memory + p->memory - 1] = acc;
    }
  }
  for (b = 0; b < p->batches; ++b) {
    for (u = 0; u < units; ++u) {
      float sum = bias ? bias[u] : 0.0f;
      for (r = 0; r < p->rank; ++r) {
        const int32_t filter = u * p->rank + r;
        const float* s = state + (b * p->filters + filter) * p->memory;
        const float* w = weights_time + filter * p->memory;
        float dot = 0.0f;
        for (m = 0; m < p->memory; ++m) dot += w[m] * s[m];
        sum += dot;
      }
      output[b * units + u] = sum < act_min ? act_min : (sum > act_max ? act_max : sum);
    }
  }
}
