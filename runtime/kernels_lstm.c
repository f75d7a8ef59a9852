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

#include "arenaplan_kernels.h"

static int32_t clamp_i32(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

/* The low 32 bits of a 64-bit sum (TFLite accumulates in int32 and would wrap). */
static int32_t low32(int64_t v) {
  const uint32_t low = (uint32_t)v;
  return low <= (uint32_t)INT32_MAX ? (int32_t)low : (int32_t)(low - 2147483648u) + INT32_MIN;
}

/* v >> n rounding toward minus infinity, as TFLite's arithmetic shifts of signed values. */
static int32_t shift_right(int32_t v, int32_t n) { return v >= 0 ? v >> n : ~((~v) >> n); }

/* TFLite's sigmoid_table_uint16 (tensorflow/lite/kernels/internal/common.h, Apache-2.0): sigmoid(i / 24)
 * in 0.16 fixed point. Its int16 Logistic and Tanh interpolate in it; the values are data that
 * must match bit for bit. */
static const uint16_t sigmoid_table[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
    43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
    51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
    61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
    63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
    64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
    65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
    65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
    65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
    65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
    65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
};

/* reference_integer_ops::Logistic for int16 with input_multiplier 0 and shift 0 (Q3.12 in, Q0.15
 * out), as lstm_eval's Sigmoid calls it: the input times 3, interpolated in the table. */
static int16_t sigmoid_s16(int16_t x) {
  const int32_t input = (int32_t)x * 3;
  const uint32_t magnitude = (uint32_t)(input < 0 ? -input : input);
  const uint32_t index = magnitude >> 9;
  uint32_t result;
  if (index >= 255) {
    result = 0x7FFFu << 10;
  } else {
    const uint32_t a = sigmoid_table[index], b = sigmoid_table[index + 1];
    result = (a << 9) + (magnitude & 0x1FF) * (b - a);
  }
  result = input >= 0 ? result + (1u << 9) : (1u << 25) - result + (1u << 9) - 1;
  return (int16_t)(result >> 10);
}

/* reference_integer_ops::Tanh for int16: the input scaled by multiplier and a rounding right
 * shift (lstm_eval's Tanh gives 3 << s or 3 with a right shift, from the input's power-of-two
 * scale), interpolated in the table as 2 * sigmoid(2x) - 1. */
static int16_t tanh_s16(int16_t x, int32_t multiplier, int32_t right_shift) {
  const int32_t round = right_shift > 0 ? 1 << (right_shift - 1) : 0;
  const int32_t input = shift_right((int32_t)x * multiplier + round, right_shift);
  const uint32_t magnitude = (uint32_t)(input < 0 ? -input : input);
  const uint32_t index = magnitude >> 8;
  int32_t result;
  if (index >= 255) {
    result = 0xFFFF << 8;
  } else {
    const uint32_t a = sigmoid_table[index], b = sigmoid_table[index + 1];
    result = (int32_t)((a << 8) + (magnitude & 0xFF) * (b - a));
  }
  result = input >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1;
  return (int16_t)shift_right(result, 8);
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
    const int32_t forget = sigmoid_s16(gate_s8(s, q, AP_LSTM_FORGET, w, x, h, j));
    const int32_t in = sigmoid_s16(gate_s8(s, q, AP_LSTM_INPUT, w, x, h, j));
    const int32_t candidate = tanh_s16(gate_s8(s, q, AP_LSTM_CELL, w, x, h, j), 3, 0);
    const int32_t out_gate = sigmoid_s16(gate_s8(s, q, AP_LSTM_OUTPUT, w, x, h, j));
    int32_t v = mul_s16(forget, c[j], q->forget_cell_multiplier, q->forget_cell_shift, 0, INT16_MIN, INT16_MAX);
    v += mul_s16(in, candidate, q->input_cell_multiplier, q->input_cell_shift, 0, INT16_MIN, INT16_MAX);
    v = clamp_i32(v, INT16_MIN, INT16_MAX);
    if (q->has_cell_clip) v = clamp_i32(v, -q->cell_clip, q->cell_clip);
    c[j] = (int16_t)v;
    out[j] = (int8_t)mul_s16(tanh_s16(c[j], q->tanh_multiplier, q->tanh_right_shift), out_gate, q->hidden_multiplier,
                             q->hidden_shift, q->hidden_zero_point, INT8_MIN, INT8_MAX);
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
