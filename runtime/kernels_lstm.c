/* kernels_lstm.c: UNIDIRECTIONAL_SEQUENCE_LSTM of arenaplan_kernels.h. Strict C99, no allocation;
 * the only state is the caller's hidden and cell state tensors (variables that persist across
 * runs). TFLite Micro's reference semantics (lstm_eval.h, the "16-bit activation" integer path
 * for int8 input and the float path): every gate is activation(FC(input) + FC(hidden)), the cell
 * state becomes forget * cell + input * cell_gate (clipped), the hidden state tanh(cell) * output,
 * and each step's hidden state is the step's output. TFLite Micro keeps the four gate vectors in
 * scratch buffers; every one of those operations is element-wise once the two fully connected
 * sums are known, so here each state element's gates are computed and used at once, the new
 * hidden state is written to the output row first and copied into the state after the step
 * (every gate reads the previous one): the same arithmetic, no scratch.
 */
#include <math.h>
#include <string.h>

#include "kernels_internal.h"

static int32_t clamp_i32(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

/* The low 32 bits of a 64-bit sum (TFLite accumulates in int32 and would wrap). */
static int32_t low32(int64_t v) {
  const uint32_t low = (uint32_t)v;
  return low <= (uint32_t)INT32_MAX ? (int32_t)low : (int32_t)(low - 2147483648u) + INT32_MIN;
}

/* reference_integer_ops::MulElementwise of two int16 values: offsets 0, rescaled, + output
 * offset, clamped to [lo, hi]. */
static int32_t mul_s16(int32_t a, int32_t b, int32_t multiplier, int32_t shift, int32_t offset, int32_t lo,
                       int32_t hi) {
  return clamp_i32(offset + ap_multiply_by_quantized_multiplier(a * b, multiplier, shift), lo, hi);
}

/* One gate's pre-activation for state element j (Q3.12): the input and the recurrent fully
 * connected parts, each rescaled and clamped to int16 (reference_integer_ops::FullyConnected with
 * int16 output, zero point 0), then added with saturation (AddElementWise). */
static int16_t gate_s8(const ap_lstm_shape* s, const ap_lstm_quant* q, int32_t gate, const ap_lstm_weights* w,
                       const int8_t* x, const int8_t* h, int32_t j) {
  const int8_t* wi = (const int8_t*)w->input_weights[gate] + (int64_t)j * s->input_size;
  const int8_t* wr = (const int8_t*)w->recurrent_weights[gate] + (int64_t)j * s->state_size;
  const int32_t* bias = (const int32_t*)w->bias[gate];
  int64_t acc_in = 0, acc_rec = 0;
  int32_t k, in, rec;
  for (k = 0; k < s->input_size; ++k) acc_in += (int32_t)wi[k] * (x[k] - q->input_zero_point);
  if (bias) acc_in += bias[j];
  for (k = 0; k < s->state_size; ++k) acc_rec += (int32_t)wr[k] * (h[k] - q->hidden_zero_point);
  in = clamp_i32(
      ap_multiply_by_quantized_multiplier(low32(acc_in), q->gate[gate].input_multiplier, q->gate[gate].input_shift),
      INT16_MIN, INT16_MAX);
  rec = clamp_i32(ap_multiply_by_quantized_multiplier(low32(acc_rec), q->gate[gate].recurrent_multiplier,
                                                      q->gate[gate].recurrent_shift),
                  INT16_MIN, INT16_MAX);
  return (int16_t)clamp_i32(in + rec, INT16_MIN, INT16_MAX);
}

/* One time step of one batch (or of every batch, time major: the rows are independent): the
 * step's input row x, the batch's hidden and cell state, the step's output row. */
typedef void (*lstm_step)(const ap_lstm_shape* s, const void* params, const ap_lstm_weights* w, const void* x,
                          const void* h, void* c, void* out);

/* Every step of every batch in TFLite Micro's order; after a step, its output row (the new hidden
 * state) becomes the hidden state. Element sizes: activations `act`, cell state `cell_size`. */
static void each_step(const ap_lstm_shape* s, const void* params, const ap_lstm_weights* w, const void* input,
                      void* hidden, void* cell, void* output, int32_t act, int32_t cell_size, lstm_step step) {
  const size_t state_bytes = (size_t)s->state_size * (size_t)act;
  int32_t b, t;
  for (b = 0; b < s->batches; ++b) {
    uint8_t* h = (uint8_t*)hidden + (int64_t)b * s->state_size * act;
    uint8_t* c = (uint8_t*)cell + (int64_t)b * s->state_size * cell_size;
    for (t = 0; t < s->time_steps; ++t) {
      /* [batches, time, ...] or, time major, [time, batches, ...] */
      const int64_t row = s->time_major ? (int64_t)t * s->batches + b : (int64_t)b * s->time_steps + t;
      uint8_t* out = (uint8_t*)output + row * s->state_size * act;
      step(s, params, w, (const uint8_t*)input + row * s->input_size * act, h, c, out);
      memcpy(h, out, state_bytes);
    }
  }
}

static void step_s8(const ap_lstm_shape* s, const void* params, const ap_lstm_weights* w, const void* input,
                    const void* hidden, void* cell, void* output) {
  const ap_lstm_quant* q = (const ap_lstm_quant*)params;
  const int8_t* x = (const int8_t*)input;
  const int8_t* h = (const int8_t*)hidden;
  int16_t* c = (int16_t*)cell;
  int8_t* out = (int8_t*)output;
  int32_t j;
  for (j = 0; j < s->state_size; ++j) {
    const int32_t forget = ap_logistic_s16_value(3, 0, gate_s8(s, q, AP_LSTM_FORGET, w, x, h, j));
    const int32_t in = ap_logistic_s16_value(3, 0, gate_s8(s, q, AP_LSTM_INPUT, w, x, h, j));
    const int32_t candidate = ap_tanh_s16_value(3, 0, gate_s8(s, q, AP_LSTM_CELL, w, x, h, j));
    const int32_t out_gate = ap_logistic_s16_value(3, 0, gate_s8(s, q, AP_LSTM_OUTPUT, w, x, h, j));
    int32_t v = mul_s16(forget, c[j], q->forget_cell_multiplier, q->forget_cell_shift, 0, INT16_MIN, INT16_MAX);
    v += mul_s16(in, candidate, q->input_cell_multiplier, q->input_cell_shift, 0, INT16_MIN, INT16_MAX);
    v = clamp_i32(v, INT16_MIN, INT16_MAX);
    if (q->has_cell_clip) v = clamp_i32(v, -q->cell_clip, q->cell_clip);
    c[j] = (int16_t)v;
    out[j] = (int8_t)mul_s16(ap_tanh_s16_value(q->tanh_multiplier, q->tanh_right_shift, c[j]), out_gate,
                             q->hidden_multiplier, q->hidden_shift, q->hidden_zero_point, INT8_MIN, INT8_MAX);
  }
}

void ap_lstm_s8(const ap_lstm_shape* s, const ap_lstm_quant* q, const ap_lstm_weights* w, const int8_t* input,
                int8_t* hidden, int16_t* cell, int8_t* output) {
  each_step(s, q, w, input, hidden, cell, output, 1, 2, step_s8);
}

/* ActivationFunctionWithMinMax with the float limits of "no activation". */
static float no_activation(float v) {
  const float lo = -3.402823466e+38f, hi = 3.402823466e+38f;
  v = v < lo ? lo : v;
  return hi < v ? hi : v;
}

/* reference_ops::Logistic (float). */
static float sigmoid_f32(float v) {
  if (v > 16.619047164916992188f) return 1.0f;
  if (v < -9.0f) return expf(v);
  return 1.0f / (1.0f + expf(-v));
}

/* reference_ops::FullyConnected twice (the recurrent part has no bias: its sum + 0.0f), then
 * AddElementWise. */
static float gate_f32(const ap_lstm_shape* s, int32_t gate, const ap_lstm_weights* w, const float* x, const float* h,
                      int32_t j) {
  const float* wi = (const float*)w->input_weights[gate] + (int64_t)j * s->input_size;
  const float* wr = (const float*)w->recurrent_weights[gate] + (int64_t)j * s->state_size;
  const float* bias = (const float*)w->bias[gate];
  float in = 0.0f, rec = 0.0f;
  int32_t k;
  for (k = 0; k < s->input_size; ++k) in += x[k] * wi[k];
  for (k = 0; k < s->state_size; ++k) rec += h[k] * wr[k];
  return no_activation(in + (bias ? bias[j] : 0.0f)) + no_activation(rec + 0.0f);
}

static void step_f32(const ap_lstm_shape* s, const void* params, const ap_lstm_weights* w, const void* input,
                     const void* hidden, void* cell, void* output) {
  const float cell_clip = *(const float*)params;
  const float* x = (const float*)input;
  const float* h = (const float*)hidden;
  float* c = (float*)cell;
  float* out = (float*)output;
  int32_t j;
  for (j = 0; j < s->state_size; ++j) {
    const float forget = sigmoid_f32(gate_f32(s, AP_LSTM_FORGET, w, x, h, j));
    const float in = sigmoid_f32(gate_f32(s, AP_LSTM_INPUT, w, x, h, j));
    const float candidate = tanhf(gate_f32(s, AP_LSTM_CELL, w, x, h, j));
    const float out_gate = sigmoid_f32(gate_f32(s, AP_LSTM_OUTPUT, w, x, h, j));
    float v = no_activation(forget * c[j]) + no_activation(in * candidate);
    if (cell_clip > 0.0f) {
      v = v < cell_clip ? v : cell_clip; /* std::max(std::min(clip, v), -clip) */
      v = v < -cell_clip ? -cell_clip : v;
    }
    c[j] = v;
    out[j] = no_activation(tanhf(v) * out_gate);
  }
}

void ap_lstm_f32(const ap_lstm_shape* s, float cell_clip, const ap_lstm_weights* w, const float* input, float* hidden,
                 float* cell, float* output) {
  each_step(s, &cell_clip, w, input, hidden, cell, output, 4, 4, step_f32);
}
