/* kernels_reduce_cast.c: ARG_MAX / ARG_MIN, CAST and integer MEAN / SUM of arenaplan_kernels.h. Strict C99, no
 * allocation, no state. */
#include <math.h>
#include <string.h>

#include "kernels_internal.h"

/* Element i of any integer or float type, as a double and (exactly for 64-bit integers) as an int64. */
typedef struct {
  double real;
  int64_t integer;
  int is_real;
} ap_value;

static ap_value load_value(int32_t type, const void* data, int32_t i) {
  ap_value v = {0.0, 0, 0};
  switch (type) {
    case AP_F32:
      v.real = ((const float*)data)[i];
      v.is_real = 1;
      return v;
    case AP_S64: v.integer = ((const int64_t*)data)[i]; break;
    case AP_BOOL: v.integer = ((const uint8_t*)data)[i] != 0; break;
    case AP_U32: v.integer = ((const uint32_t*)data)[i]; break;
    default: v.integer = ap_load_element(type, data, i); break;
  }
  v.real = (double)v.integer;
  return v;
}

/* Follows tflite::reference_ops::ArgMinMax: the first index of the largest (smallest) value along
 * the axis, compared with > (<) in the input's type. */
void ap_arg_min_max(const ap_arg_params* p, const void* input, void* output) {
  int32_t o, k, a;
  for (o = 0; o < p->outer; ++o)
    for (k = 0; k < p->inner; ++k) {
      const int32_t base = o * p->axis_size * p->inner + k;
      ap_value best = load_value(p->input_type, input, base);
      int32_t best_index = 0;
      for (a = 1; a < p->axis_size; ++a) {
        const ap_value v = load_value(p->input_type, input, base + a * p->inner);
        const int better = v.is_real ? (p->is_max ? v.real > best.real : v.real < best.real)
                                     : (p->is_max ? v.integer > best.integer : v.integer < best.integer);
        if (better) {
          best = v;
          best_index = a;
        }
      }
      if (p->output_64bit)
        ((int64_t*)output)[o * p->inner + k] = best_index;
      else
        ((int32_t*)output)[o * p->inner + k] = best_index;
    }
}

/* Follows TFLite's cast.cc (static_cast per element): integers wrap to the narrower type (two's
 * complement), floats truncate toward zero (saturated where C++'s conversion is undefined, NaN to
 * 0), anything to bool is != 0, bool is 0 or 1. */
void ap_cast(int32_t count, int32_t input_type, int32_t output_type, const void* input, void* output) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    const ap_value v = load_value(input_type, input, i);
    int64_t n = v.integer;
    if (v.is_real) {
      const double r = v.real;
      n = r != r ? 0 : (r >= 9.2e18 ? INT64_MAX : (r <= -9.2e18 ? INT64_MIN : (int64_t)r));
    }
    switch (output_type) {
      case AP_F32: ((float*)output)[i] = v.is_real ? (float)v.real : (float)v.integer; break;
      case AP_S64: ((int64_t*)output)[i] = n; break;
      case AP_BOOL: ((uint8_t*)output)[i] = (uint8_t)(v.is_real ? v.real != 0.0 : v.integer != 0); break;
      case AP_S32: {
        const uint32_t bits = (uint32_t)(uint64_t)n;
        memcpy((int32_t*)output + i, &bits, 4);
        break;
      }
      case AP_U32: ((uint32_t*)output)[i] = (uint32_t)(uint64_t)n; break;
      case AP_S16: {
        const uint16_t bits = (uint16_t)(uint64_t)n;
        memcpy((int16_t*)output + i, &bits, 2);
        break;
      }
      case AP_U8: ((uint8_t*)output)[i] = (uint8_t)(uint64_t)n; break;
      default: {
        const uint8_t bits = (uint8_t)(uint64_t)n;
        memcpy((int8_t*)output + i, &bits, 1);
        break;
      }
    }
  }
}

/* The sum of one output element's inputs, as TFLite's int32 accumulator (wrapping, not saturating). */
static int32_t reduced_sum(const ap_reduce_params* p, int32_t type, const void* input, int32_t k, int32_t* count) {
  int32_t coord[AP_MAX_DIMS], stride[AP_MAX_DIMS], d, j, n = 1;
  uint32_t sum = 0;
  stride[AP_MAX_DIMS - 1] = 1;
  for (d = AP_MAX_DIMS - 2; d >= 0; --d) stride[d] = stride[d + 1] * p->in_shape[d + 1];
  for (d = AP_MAX_DIMS - 1; d >= 0; --d) /* the output index's coordinates (reduced ones 0) */
    if (!p->reduce[d]) {
      coord[d] = k % p->in_shape[d];
      k /= p->in_shape[d];
    } else {
      coord[d] = 0;
      n *= p->in_shape[d];
    }
  for (j = 0; j < n; ++j) {
    int32_t rest = j, offset = 0;
    for (d = AP_MAX_DIMS - 1; d >= 0; --d) {
      int32_t c = coord[d];
      if (p->reduce[d]) {
        c = rest % p->in_shape[d];
        rest /= p->in_shape[d];
      }
      offset += c * stride[d];
    }
    sum += (uint32_t)ap_load_element(type, input, offset);
  }
  *count = n;
  return sum <= (uint32_t)INT32_MAX ? (int32_t)sum : (int32_t)(sum - 2147483648u) + INT32_MIN;
}

/* Stores the low bits of v in the type (C++'s static_cast to a narrower integer). */
static void store_wrapped(int32_t type, void* data, int32_t i, int32_t v) {
  const uint32_t bits = (uint32_t)v;
  if (type == AP_S16) {
    const uint16_t b = (uint16_t)bits;
    memcpy((int16_t*)data + i, &b, 2);
  } else {
    const uint8_t b = (uint8_t)bits;
    memcpy((uint8_t*)data + i, &b, 1);
  }
}

/* Follows TFLite Micro's EvalIntegerMean / EvalSumHelper (reference_ops::Mean, QuantizedMeanOrSum):
 * every output element is computed from its own inputs (no accumulator buffer; the integer sum
 * does not depend on the order). */
void ap_mean_sum_q(const ap_reduce_params* p, const ap_reduce_quant* q, const void* input, void* output) {
  int32_t d, outputs = 1, k;
  const int32_t lo = q->type == AP_S8 ? INT8_MIN : (q->type == AP_U8 ? 0 : INT16_MIN);
  const int32_t hi = q->type == AP_S8 ? INT8_MAX : (q->type == AP_U8 ? UINT8_MAX : INT16_MAX);
  for (d = 0; d < AP_MAX_DIMS; ++d) {
    if (p->in_shape[d] <= 0) return;
    if (!p->reduce[d]) outputs *= p->in_shape[d];
  }
  for (k = 0; k < outputs; ++k) {
    int32_t n = 0;
    const int32_t sum = reduced_sum(p, q->type, input, k, &n);
    if (q->is_sum) {
      /* bias = -zp * scale * n, then round(sum * scale + bias) + zp, cast without clamping. */
      const float bias = (float)(-q->input_zero_point) * q->scale * (float)n;
      store_wrapped(q->type, output, k, (int32_t)roundf((float)sum * q->scale + bias) + q->output_zero_point);
    } else if (q->same_quantization) {
      ap_store_element(q->type, output, k, sum / n); /* truncating division, in range */
    } else {
      const float bias = (float)(-q->input_zero_point) * q->scale;
      const float mean = (float)sum / (float)n;
      float result = roundf(mean * q->scale + bias) + (float)q->output_zero_point;
      result = result < (float)hi ? result : (float)hi;
      result = result > (float)lo ? result : (float)lo;
      ap_store_element(q->type, output, k, (int32_t)result);
    }
  }
}
