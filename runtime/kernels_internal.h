/* kernels_internal.h: helpers shared by the runtime's kernel files (not part of the kernel API).
 * Static inline, so each file that includes it stays a self-contained C99 translation unit. */
#ifndef ARENAPLAN_KERNELS_INTERNAL_H_
#define ARENAPLAN_KERNELS_INTERNAL_H_

#include "arenaplan_kernels.h"

static inline int32_t ap_saturate_to_s32(int64_t v) {
  if (v > INT32_MAX) return INT32_MAX;
  if (v < INT32_MIN) return INT32_MIN;
  return (int32_t)v;
}

/* Elements from one output pixel of a convolution to the next (a channel slice of a wider tensor). */
static inline int32_t ap_out_pixel_stride(const ap_conv_shape* s) {
  return s->out_pixel_stride > 0 ? s->out_pixel_stride : s->out_c;
}

static inline int32_t ap_clamp_to(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

/* Element i of an integer tensor of type AP_S8, AP_U8, AP_S16 or AP_S32. */
static inline int32_t ap_load_element(int32_t type, const void* data, int32_t i) {
  switch (type) {
    case AP_S8: return ((const int8_t*)data)[i];
    case AP_U8: return ((const uint8_t*)data)[i];
    case AP_S16: return ((const int16_t*)data)[i];
    default: return ((const int32_t*)data)[i];
  }
}

/* Stores v clamped to the range of the type. */
static inline void ap_store_element(int32_t type, void* data, int32_t i, int32_t v) {
  switch (type) {
    case AP_S8: ((int8_t*)data)[i] = (int8_t)ap_clamp_to(v, INT8_MIN, INT8_MAX); break;
    case AP_U8: ((uint8_t*)data)[i] = (uint8_t)ap_clamp_to(v, 0, UINT8_MAX); break;
    case AP_S16: ((int16_t*)data)[i] = (int16_t)ap_clamp_to(v, INT16_MIN, INT16_MAX); break;
    default: ((int32_t*)data)[i] = v; break;
  }
}

/* A walk over a broadcasting operator's output in row-major order: the output index and the
 * element offsets of the two inputs. */
typedef struct {
  int32_t index[AP_MAX_DIMS];
  int32_t i1, i2;
} ap_broadcast_cursor;

/* The output element count (0 for an empty shape). */
static inline int32_t ap_broadcast_count(const ap_broadcast_params* p) {
  int32_t d, n = 1;
  for (d = 0; d < AP_MAX_DIMS; ++d) n *= p->out_shape[d] > 0 ? p->out_shape[d] : 0;
  return n;
}

/* One output element on. */
static inline void ap_broadcast_next(const ap_broadcast_params* p, ap_broadcast_cursor* c) {
  int32_t d;
  for (d = AP_MAX_DIMS - 1; d >= 0; --d) {
    c->i1 += p->stride1[d];
    c->i2 += p->stride2[d];
    if (++c->index[d] < p->out_shape[d]) return;
    c->i1 -= p->stride1[d] * p->out_shape[d];
    c->i2 -= p->stride2[d] * p->out_shape[d];
    c->index[d] = 0;
  }
}

/* One element of int16 LOGISTIC / TANH (kernels_activation16.c; also the LSTM's gates): x times
 * multiplier, rounding right shift, then TFLite's table interpolation. */
int16_t ap_logistic_s16_value(int32_t multiplier, int32_t right_shift, int32_t x);
int16_t ap_tanh_s16_value(int32_t multiplier, int32_t right_shift, int32_t x);

#endif /* ARENAPLAN_KERNELS_INTERNAL_H_ */
