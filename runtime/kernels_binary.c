/* kernels_binary.c: broadcasting binary operators of arenaplan_kernels.h (MUL, MAXIMUM, MINIMUM, DIV,
 * SQUARED_DIFFERENCE, FLOOR_MOD).
 * Strict C99, no allocation, no state; 64-bit intermediates where TFLite's int32 product could
 * overflow on inputs its converter never produces. */
#include <math.h>

#include "kernels_internal.h"

/* TFLite rescales with x * (1 << shift) in int32. A shift over 30 comes from a degenerate output
 * scale (coral's video_traffic: products of a zero-initialised LSTM state, scale 3e-35); in C++ it
 * is undefined, and TFLite 2.9 on x86-64 (measured with tflite_run, shifts 32 to 105) takes the
 * count mod 32, as the SHL instruction does, and wraps the product. We do the same, defined. */
static int32_t mul_rescale(int32_t product, int32_t multiplier, int32_t shift) {
  if (shift <= 30) return ap_multiply_by_quantized_multiplier(product, multiplier, shift);
  return ap_multiply_by_quantized_multiplier((int32_t)((uint32_t)product << (shift & 31)), multiplier, 0);
}

/* One element of tflite::reference_integer_ops::MulElementwise. */
static int32_t mul_q(const ap_mul_quant* q, int32_t a, int32_t b) {
  const int32_t product = ap_saturate_to_s32(((int64_t)a + q->input1_offset) * ((int64_t)b + q->input2_offset));
  const int32_t scaled = mul_rescale(product, q->multiplier, q->shift);
  return ap_clamp_to(ap_saturate_to_s32((int64_t)scaled + q->output_offset), q->act_min, q->act_max);
}

void ap_mul_q(const ap_broadcast_params* p, const ap_mul_quant* q, const void* input1, const void* input2,
              void* output) {
  ap_broadcast_cursor c = {{0, 0, 0, 0, 0}, 0, 0};
  const int32_t count = ap_broadcast_count(p);
  int32_t n;
  for (n = 0; n < count; ++n, ap_broadcast_next(p, &c))
    ap_store_element(q->type, output, n,
                     mul_q(q, ap_load_element(q->type, input1, c.i1), ap_load_element(q->type, input2, c.i2)));
}

void ap_mul_f32(const ap_broadcast_params* p, float act_min, float act_max, const float* input1, const float* input2,
                float* output) {
  ap_broadcast_cursor c = {{0, 0, 0, 0, 0}, 0, 0};
  const int32_t count = ap_broadcast_count(p);
  int32_t n;
  for (n = 0; n < count; ++n, ap_broadcast_next(p, &c)) {
    const float x = input1[c.i1] * input2[c.i2];
    const float lo = x < act_min ? act_min : x; /* ActivationFunctionWithMinMax */
    output[n] = lo > act_max ? act_max : lo;
  }
}

/* A broadcasting loop over elements of type T: o[n] = expression of x = in1[i1], y = in2[i2]. The
 * caller declares p, c, count, n, input1, input2 and output. */
#define AP_BROADCAST_APPLY(T, expression)                   \
  do {                                                      \
    const T* a = (const T*)input1;                          \
    const T* b = (const T*)input2;                          \
    T* o = (T*)output;                                      \
    for (n = 0; n < count; ++n, ap_broadcast_next(p, &c)) { \
      const T x = a[c.i1], y = b[c.i2];                     \
      o[n] = (T)(expression);                               \
    }                                                       \
  } while (0)

/* MAXIMUM's a > b ? a : b (greater) or MINIMUM's a < b ? a : b. */
#define AP_PICK(T, greater) AP_BROADCAST_APPLY(T, (greater) ? (x > y ? x : y) : (x < y ? x : y))

static void pick(const ap_broadcast_params* p, int32_t type, int greater, const void* input1, const void* input2,
                 void* output) {
  ap_broadcast_cursor c = {{0, 0, 0, 0, 0}, 0, 0};
  const int32_t count = ap_broadcast_count(p);
  int32_t n;
  switch (type) {
    case AP_S8: AP_PICK(int8_t, greater); break;
    case AP_U8: AP_PICK(uint8_t, greater); break;
    case AP_S16: AP_PICK(int16_t, greater); break;
    case AP_S32: AP_PICK(int32_t, greater); break;
    case AP_F32: AP_PICK(float, greater); break;
    case AP_S64: AP_PICK(int64_t, greater); break;
    default: break;
  }
}
#undef AP_PICK

void ap_maximum(const ap_broadcast_params* p, int32_t type, const void* input1, const void* input2, void* output) {
  pick(p, type, 1, input1, input2, output);
}

void ap_minimum(const ap_broadcast_params* p, int32_t type, const void* input1, const void* input2, void* output) {
  pick(p, type, 0, input1, input2, output);
}

/* tflite::reference_ops::FloorMod: the truncated remainder r moved to the divisor's sign. A zero
 * divisor (undefined in TFLite) gives 0; x % -1 is 0 without evaluating INT_MIN % -1. */
static int32_t floor_mod_s32(int32_t x, int32_t y) {
  const int32_t r = (y == 0 || y == -1) ? 0 : x % y;
  return (r != 0 && ((y < 0) != (r < 0))) ? r + y : r;
}

static int64_t floor_mod_s64(int64_t x, int64_t y) {
  const int64_t r = (y == 0 || y == -1) ? 0 : x % y;
  return (r != 0 && ((y < 0) != (r < 0))) ? r + y : r;
}

void ap_floor_mod(const ap_broadcast_params* p, int32_t type, const void* input1, const void* input2, void* output) {
  ap_broadcast_cursor c = {{0, 0, 0, 0, 0}, 0, 0};
  const int32_t count = ap_broadcast_count(p);
  int32_t n;
  if (type == AP_S32) AP_BROADCAST_APPLY(int32_t, floor_mod_s32(x, y));
  if (type == AP_S64) AP_BROADCAST_APPLY(int64_t, floor_mod_s64(x, y));
}
#undef AP_BROADCAST_APPLY
void ap_binary_f32(const ap_broadcast_params* p, int32_t op, float act_min, float act_max, const float* input1,
                   const float* input2, float* output) {
  ap_broadcast_cursor c = {{0, 0, 0, 0, 0}, 0, 0};
  const int32_t count = ap_broadcast_count(p);
  int32_t n;
  for (n = 0; n < count; ++n, ap_broadcast_next(p, &c)) {
    const float x = input1[c.i1], y = input2[c.i2];
    float r;
    if (op == AP_DIV) {
      r = x / y;
    } else if (op == AP_ADD) {
      r = x + y;
    } else if (op == AP_SQUARED_DIFFERENCE) {
      r = (x - y) * (x - y);
    } else {
      const float m = fmodf(x, y);
      r = (m != 0.0f && ((y < 0.0f) != (m < 0.0f))) ? m + y : m;
    }
    r = r < act_min ? act_min : r; /* ActivationFunctionWithMinMax */
    output[n] = r > act_max ? act_max : r;
  }
}

void ap_binary_s32(const ap_broadcast_params* p, int32_t op, int32_t act_min, int32_t act_max, const int32_t* input1,
                   const int32_t* input2, int32_t* output) {
  ap_broadcast_cursor c = {{0, 0, 0, 0, 0}, 0, 0};
  const int32_t count = ap_broadcast_count(p);
  int32_t n;
  for (n = 0; n < count; ++n, ap_broadcast_next(p, &c)) {
    const int32_t x = input1[c.i1], y = input2[c.i2];
    int32_t r;
    if (op == AP_MUL || op == AP_ADD) {
      const uint32_t bits = op == AP_MUL ? (uint32_t)x * (uint32_t)y : (uint32_t)x + (uint32_t)y;
      r = bits > (uint32_t)INT32_MAX ? (int32_t)(bits - (uint32_t)INT32_MAX - 1u) + INT32_MIN : (int32_t)bits;
    } else {
      r = (y == 0 || (y == -1 && x == INT32_MIN)) ? 0 : x / y;
    }
    output[n] = ap_clamp_to(r, act_min, act_max);
  }
}
