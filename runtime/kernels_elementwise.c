/* kernels_elementwise.c: element-wise and reduction kernels of arenaplan_kernels.h beyond the
 * first set (SUB, LEAKY_RELU, MEAN, broadcasting). Strict C99, no allocation, no state; TFLite reference
 * semantics, 64-bit intermediates where TFLite's int32 arithmetic could overflow on inputs its
 * converter never produces.
 */
#include "kernels_internal.h"

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
  const int32_t shifted1 = ap_saturate_to_s32(((int64_t)a + q->input1_offset) * scale);
  const int32_t shifted2 = ap_saturate_to_s32(((int64_t)b + q->input2_offset) * scale);
  const int32_t scaled1 = ap_multiply_by_quantized_multiplier(shifted1, q->input1_multiplier, q->input1_shift);
  const int32_t scaled2 = ap_multiply_by_quantized_multiplier(shifted2, q->input2_multiplier, q->input2_shift);
  const int32_t diff = ap_saturate_to_s32((int64_t)scaled1 - scaled2);
  const int32_t out = ap_multiply_by_quantized_multiplier(diff, q->output_multiplier, q->output_shift);
  return (int16_t)ap_clamp_to(ap_saturate_to_s32((int64_t)out + q->output_offset), q->act_min, q->act_max);
}

void ap_sub_s16(int32_t count, const ap_add_quant* q, const int16_t* input1, const int16_t* input2, int16_t* output) {
  int32_t i;
  for (i = 0; i < count; ++i) output[i] = sub_s16(q, input1[i], input2[i]);
}

void ap_sub_s16_broadcast(const ap_broadcast_params* p, const ap_add_quant* q, const int16_t* input1,
                          const int16_t* input2, int16_t* output) {
  ap_broadcast_cursor c = {{0, 0, 0, 0, 0}, 0, 0};
  const int32_t count = ap_broadcast_count(p);
  int32_t n;
  for (n = 0; n < count; ++n, ap_broadcast_next(p, &c)) output[n] = sub_s16(q, input1[c.i1], input2[c.i2]);
}

/* uint8 ADD with broadcasting (TFLite's BroadcastAdd4DSlow): ap_add_u8 on each pair. */
void ap_add_u8_broadcast(const ap_broadcast_params* p, const ap_add_quant* q, const uint8_t* input1,
                         const uint8_t* input2, uint8_t* output) {
  ap_broadcast_cursor c = {{0, 0, 0, 0, 0}, 0, 0};
  const int32_t count = ap_broadcast_count(p);
  int32_t n;
  for (n = 0; n < count; ++n, ap_broadcast_next(p, &c)) ap_add_u8(1, q, input1 + c.i1, input2 + c.i2, output + n);
}

/* Follows tflite::reference_ops::Requantize (its int8 <-> uint8 shortcut for equal scales gives
 * the same bytes as the general rule). In place only when the types have the same size. */
void ap_requantize(int32_t count, const ap_requantize_params* p, const void* input, void* output) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    const int32_t x = ap_saturate_to_s32((int64_t)ap_load_element(p->input_type, input, i) - p->input_zero_point);
    const int32_t scaled = ap_multiply_by_quantized_multiplier(x, p->multiplier, p->shift);
    ap_store_element(p->output_type, output, i, ap_saturate_to_s32((int64_t)scaled + p->output_zero_point));
  }
}

/* Follows tflite::reference_ops::QuantizeLeakyRelu (int16). */
void ap_leaky_relu_s16(int32_t count, const ap_leaky_relu_quant* q, const int16_t* input, int16_t* output) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    const int32_t x = (int32_t)input[i] - q->input_zero_point;
    const int32_t scaled = x >= 0 ? ap_multiply_by_quantized_multiplier(x, q->identity_multiplier, q->identity_shift)
                                  : ap_multiply_by_quantized_multiplier(x, q->alpha_multiplier, q->alpha_shift);
    output[i] = (int16_t)ap_clamp_to(ap_saturate_to_s32((int64_t)scaled + q->output_zero_point), INT16_MIN, INT16_MAX);
  }
}

/* Follows tflite::reference_ops::LeakyRelu (float): x > 0 ? x : x * alpha. */
void ap_leaky_relu_f32(int32_t count, float alpha, const float* input, float* output) {
  int32_t i;
  for (i = 0; i < count; ++i) output[i] = input[i] > 0.0f ? input[i] : input[i] * alpha;
}
