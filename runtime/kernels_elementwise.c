/* kernels_elementwise.c: element-wise and reduction kernels of arenaplan_kernels.h beyond the
 * first set (SUB, LEAKY_RELU, MEAN, broadcasting). Strict C99, no allocation, no state; TFLite reference
 * semantics, 64-bit intermediates where TFLite's int32 arithmetic could overflow on inputs its
 * converter never produces.
 */
#include "arenaplan_kernels.h"

static int32_t saturate_to_s32(int64_t v) {
  if (v > INT32_MAX) return INT32_MAX;
  if (v < INT32_MIN) return INT32_MIN;
  return (int32_t)v;
}

static int32_t clamp_to(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

/* Follows tflite::reference_ops::Mean (ReduceSumImpl then the division): every output element
 * starts at 0.0f and gains its inputs in row-major input order; then / (float)count. */
void ap_mean_f32(const ap_reduce_params* p, const float* input, float* output) {
  int32_t out_shape[AP_MAX_DIMS], out_strides[AP_MAX_DIMS], i[AP_MAX_DIMS], d, outputs = 1, count = 1, k;
  for (d = 0; d < AP_MAX_DIMS; ++d) {
    out_shape[d] = p->reduce[d] ? 1 : p->in_shape[d];
    if (p->in_shape[d] <= 0) return;
    outputs *= out_shape[d];
    if (p->reduce[d]) count *= p->in_shape[d];
  }
  out_strides[AP_MAX_DIMS - 1] = 1;
  for (d = AP_MAX_DIMS - 2; d >= 0; --d) out_strides[d] = out_strides[d + 1] * out_shape[d + 1];
  for (k = 0; k < outputs; ++k) output[k] = 0.0f;
  for (i[0] = 0; i[0] < p->in_shape[0]; ++i[0])
    for (i[1] = 0; i[1] < p->in_shape[1]; ++i[1])
      for (i[2] = 0; i[2] < p->in_shape[2]; ++i[2])
        for (i[3] = 0; i[3] < p->in_shape[3]; ++i[3])
          for (i[4] = 0; i[4] < p->in_shape[4]; ++i[4]) {
            int32_t o = 0;
            for (d = 0; d < AP_MAX_DIMS; ++d)
              if (!p->reduce[d]) o += i[d] * out_strides[d];
            output[o] += *input++;
          }
  for (k = 0; k < outputs; ++k) output[k] = output[k] / (float)count;
}

/* One element of tflite::reference_ops::SubElementwise (int16, left_shift 15). The left shift
 * saturates (TFLite's int32 product cannot overflow for int16 inputs and left_shift <= 15). */
static int16_t sub_s16(const ap_add_quant* q, int16_t a, int16_t b) {
  const int64_t scale = (int64_t)1 << (q->left_shift < 0 ? 0 : (q->left_shift > 31 ? 31 : q->left_shift));
  const int32_t shifted1 = saturate_to_s32(((int64_t)a + q->input1_offset) * scale);
  const int32_t shifted2 = saturate_to_s32(((int64_t)b + q->input2_offset) * scale);
  const int32_t scaled1 = ap_multiply_by_quantized_multiplier(shifted1, q->input1_multiplier, q->input1_shift);
  const int32_t scaled2 = ap_multiply_by_quantized_multiplier(shifted2, q->input2_multiplier, q->input2_shift);
  const int32_t diff = saturate_to_s32((int64_t)scaled1 - scaled2);
  const int32_t out = ap_multiply_by_quantized_multiplier(diff, q->output_multiplier, q->output_shift);
  return (int16_t)clamp_to(saturate_to_s32((int64_t)out + q->output_offset), q->act_min, q->act_max);
}

void ap_sub_s16(int32_t count, const ap_add_quant* q, const int16_t* input1, const int16_t* input2, int16_t* output) {
  int32_t i;
  for (i = 0; i < count; ++i) output[i] = sub_s16(q, input1[i], input2[i]);
}

/* A walk over a broadcasting operator's output in row-major order: the output index and the
 * element offsets of the two inputs. */
typedef struct {
  int32_t index[AP_MAX_DIMS];
  int32_t i1, i2;
} broadcast_cursor;

/* The output element count (0 for an empty shape). */
static int32_t broadcast_count(const ap_broadcast_params* p) {
  int32_t d, n = 1;
  for (d = 0; d < AP_MAX_DIMS; ++d) n *= p->out_shape[d] > 0 ? p->out_shape[d] : 0;
  return n;
}

/* One output element on. */
static void broadcast_next(const ap_broadcast_params* p, broadcast_cursor* c) {
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

void ap_sub_s16_broadcast(const ap_broadcast_params* p, const ap_add_quant* q, const int16_t* input1,
                          const int16_t* input2, int16_t* output) {
  broadcast_cursor c = {{0, 0, 0, 0, 0}, 0, 0};
  const int32_t count = broadcast_count(p);
  int32_t n;
  for (n = 0; n < count; ++n, broadcast_next(p, &c)) output[n] = sub_s16(q, input1[c.i1], input2[c.i2]);
}

/* uint8 ADD with broadcasting (TFLite's BroadcastAdd4DSlow): ap_add_u8 on each pair. */
void ap_add_u8_broadcast(const ap_broadcast_params* p, const ap_add_quant* q, const uint8_t* input1,
                         const uint8_t* input2, uint8_t* output) {
  broadcast_cursor c = {{0, 0, 0, 0, 0}, 0, 0};
  const int32_t count = broadcast_count(p);
  int32_t n;
  for (n = 0; n < count; ++n, broadcast_next(p, &c)) ap_add_u8(1, q, input1 + c.i1, input2 + c.i2, output + n);
}

static int32_t load_element(int32_t type, const void* data, int32_t i) {
  switch (type) {
    case AP_S8: return ((const int8_t*)data)[i];
    case AP_U8: return ((const uint8_t*)data)[i];
    case AP_S16: return ((const int16_t*)data)[i];
    default: return ((const int32_t*)data)[i];
  }
}

/* Stores v clamped to the range of the type. */
static void store_element(int32_t type, void* data, int32_t i, int32_t v) {
  switch (type) {
    case AP_S8: ((int8_t*)data)[i] = (int8_t)clamp_to(v, INT8_MIN, INT8_MAX); break;
    case AP_U8: ((uint8_t*)data)[i] = (uint8_t)clamp_to(v, 0, UINT8_MAX); break;
    case AP_S16: ((int16_t*)data)[i] = (int16_t)clamp_to(v, INT16_MIN, INT16_MAX); break;
    default: ((int32_t*)data)[i] = v; break;
  }
}

/* Follows tflite::reference_ops::Requantize (its int8 <-> uint8 shortcut for equal scales gives
 * the same bytes as the general rule). In place only when the types have the same size. */
void ap_requantize(int32_t count, const ap_requantize_params* p, const void* input, void* output) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    const int32_t x = saturate_to_s32((int64_t)load_element(p->input_type, input, i) - p->input_zero_point);
    const int32_t scaled = ap_multiply_by_quantized_multiplier(x, p->multiplier, p->shift);
    store_element(p->output_type, output, i, saturate_to_s32((int64_t)scaled + p->output_zero_point));
  }
}

/* Follows tflite::reference_ops::QuantizeLeakyRelu (int16). */
void ap_leaky_relu_s16(int32_t count, const ap_leaky_relu_quant* q, const int16_t* input, int16_t* output) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    const int32_t x = (int32_t)input[i] - q->input_zero_point;
    const int32_t scaled = x >= 0 ? ap_multiply_by_quantized_multiplier(x, q->identity_multiplier, q->identity_shift)
                                  : ap_multiply_by_quantized_multiplier(x, q->alpha_multiplier, q->alpha_shift);
    output[i] = (int16_t)clamp_to(saturate_to_s32((int64_t)scaled + q->output_zero_point), INT16_MIN, INT16_MAX);
  }
}

/* Follows tflite::reference_ops::LeakyRelu (float): x > 0 ? x : x * alpha. */
void ap_leaky_relu_f32(int32_t count, float alpha, const float* input, float* output) {
  int32_t i;
  for (i = 0; i < count; ++i) output[i] = input[i] > 0.0f ? input[i] : input[i] * alpha;
}

static int32_t arith_s32(int32_t op, int32_t a, int32_t b) {
  const uint32_t ua = (uint32_t)a, ub = (uint32_t)b;
  uint32_t r;
  switch (op) {
    case AP_ARITH_ADD: r = ua + ub; break;
    case AP_ARITH_SUB: r = ua - ub; break;
    case AP_ARITH_MUL: r = ua * ub; break;
    case AP_ARITH_DIV:
      if (b == 0) return 0;
      if (a == INT32_MIN && b == -1) return INT32_MIN;
      return a / b;
    case AP_ARITH_MIN: return a < b ? a : b;
    default: return a > b ? a : b;
  }
  return (int32_t)(r >= 0x80000000u ? (int32_t)(r - 0x80000000u) + INT32_MIN : (int32_t)r);
}

void ap_arith_s32(const ap_broadcast_params* p, int32_t op, int32_t act_min, int32_t act_max, const int32_t* input1,
                  const int32_t* input2, int32_t* output) {
  broadcast_cursor c = {{0, 0, 0, 0, 0}, 0, 0};
  const int32_t count = broadcast_count(p);
  int32_t n;
  for (n = 0; n < count; ++n, broadcast_next(p, &c))
    output[n] = clamp_to(arith_s32(op, input1[c.i1], input2[c.i2]), act_min, act_max);
}

static float arith_f32(int32_t op, float a, float b) {
  switch (op) {
    case AP_ARITH_ADD: return a + b;
    case AP_ARITH_SUB: return a - b;
    case AP_ARITH_MUL: return a * b;
    case AP_ARITH_DIV: return a / b;
    case AP_ARITH_MIN: return a < b ? a : b;
    default: return a > b ? a : b;
  }
}

void ap_arith_f32(const ap_broadcast_params* p, int32_t op, float act_min, float act_max, const float* input1,
                  const float* input2, float* output) {
  broadcast_cursor c = {{0, 0, 0, 0, 0}, 0, 0};
  const int32_t count = broadcast_count(p);
  int32_t n;
  for (n = 0; n < count; ++n, broadcast_next(p, &c)) {
    const float x = arith_f32(op, input1[c.i1], input2[c.i2]);
    output[n] = x < act_min ? act_min : (x > act_max ? act_max : x); /* NaN passes, as std::min/max */
  }
}

static int64_t cast_read(int32_t type, const void* input, int32_t i) {
  switch (type) {
    case AP_TYPE_INT8: return ((const int8_t*)input)[i];
    case AP_TYPE_UINT8: return ((const uint8_t*)input)[i];
    case AP_TYPE_INT16: return ((const int16_t*)input)[i];
    case AP_TYPE_UINT16: return ((const uint16_t*)input)[i];
    case AP_TYPE_INT32: return ((const int32_t*)input)[i];
    default: return ((const uint32_t*)input)[i];
  }
}

/* The low bits of v as a signed value of `bits` bits. */
static int64_t low_signed(int64_t v, int bits) {
  const int64_t m = (int64_t)1 << bits;
  const int64_t low = v & (m - 1);
  return low >= m / 2 ? low - m : low;
}

void ap_cast(int32_t count, int32_t from, int32_t to, const void* input, void* output) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    if (to == AP_TYPE_FLOAT32) {
      ((float*)output)[i] = from == AP_TYPE_FLOAT32 ? ((const float*)input)[i] : (float)cast_read(from, input, i);
      continue;
    }
    {
      const int64_t v = cast_read(from, input, i);
      switch (to) {
        case AP_TYPE_INT8: ((int8_t*)output)[i] = (int8_t)low_signed(v, 8); break;
        case AP_TYPE_UINT8: ((uint8_t*)output)[i] = (uint8_t)(v & 0xFF); break;
        case AP_TYPE_INT16: ((int16_t*)output)[i] = (int16_t)low_signed(v, 16); break;
        case AP_TYPE_UINT16: ((uint16_t*)output)[i] = (uint16_t)(v & 0xFFFF); break;
        case AP_TYPE_INT32: ((int32_t*)output)[i] = (int32_t)low_signed(v, 32); break;
        default: ((uint32_t*)output)[i] = (uint32_t)(v & 0xFFFFFFFF); break;
      }
    }
  }
}
