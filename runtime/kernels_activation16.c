/* kernels_activation16.c: int16 LOGISTIC and TANH of arenaplan_kernels.h (TFLite's 16x8 scheme),
 * shared with the LSTM kernel. Strict C99, no allocation, no state. Each loop reads element i
 * before it writes element i, so the output may be the input's own bytes. */
#include "kernels_internal.h"

/* TFLite's sigmoid_table_uint16 (tensorflow/lite/kernels/internal/common.h, Apache-2.0; see
 * runtime/NOTICE): sigmoid(i / 24) in 0.16 fixed point. Its int16 Logistic and Tanh interpolate in
 * it; the values are data that must match bit for bit (no formula reproduces all 256). */
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

/* v >> n rounding toward minus infinity, as TFLite's arithmetic shifts of signed values. */
static int32_t shift_right(int32_t v, int32_t n) { return v >= 0 ? v >> n : ~((~v) >> n); }

/* reference_integer_ops::Logistic (int16): x * multiplier with a rounding right shift puts the
 * input at 1 / (3 * 4096) per step, so that 2^17 is 10.7; the magnitude's top bits index the table,
 * its low 9 bits interpolate; negative inputs give 1 - sigmoid(|x|). Q0.15 out. */
int16_t ap_logistic_s16_value(int32_t multiplier, int32_t right_shift, int32_t x) {
  const int32_t round = right_shift > 0 ? 1 << (right_shift - 1) : 0;
  const int32_t input = shift_right(x * multiplier + round, right_shift);
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

/* reference_integer_ops::Tanh (int16): the same scaling, 8 interpolation bits, as
 * 2 * sigmoid(2x) - 1. */
int16_t ap_tanh_s16_value(int32_t multiplier, int32_t right_shift, int32_t x) {
  const int32_t round = right_shift > 0 ? 1 << (right_shift - 1) : 0;
  const int32_t input = shift_right(x * multiplier + round, right_shift);
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

void ap_logistic_s16(int32_t count, int32_t multiplier, int32_t right_shift, const int16_t* input, int16_t* output) {
  int32_t i;
  for (i = 0; i < count; ++i) output[i] = ap_logistic_s16_value(multiplier, right_shift, input[i]);
}

void ap_tanh_s16(int32_t count, int32_t multiplier, int32_t right_shift, const int16_t* input, int16_t* output) {
  int32_t i;
  for (i = 0; i < count; ++i) output[i] = ap_tanh_s16_value(multiplier, right_shift, input[i]);
}

/* TFLite's LUTLookup for int16: the top 9 bits (offset by 256) pick an entry of the 513-entry table,
 * the low 7 interpolate to the next one with rounding. */
static int16_t lut_lookup(int16_t value, const int16_t* lut) {
  const int32_t index = 256 + shift_right(value, 7);
  const int32_t offset = value & 0x7F;
  const int32_t slope = (int16_t)(lut[index + 1] - lut[index]);
  return (int16_t)(lut[index] + shift_right(slope * offset + 64, 7));
}

/* Follows tflite::reference_ops::SoftmaxInt16: the exps (Q0.15) are kept in the output row, then
 * scaled by 1 / their sum from the second table. */
void ap_softmax_s16(int32_t outer, int32_t depth, int32_t input_multiplier, int32_t input_shift, const int16_t* exp_lut,
                    const int16_t* one_over_one_plus_x_lut, const int16_t* input, int16_t* output) {
  int32_t r, c;
  for (r = 0; r < outer; ++r) {
    const int16_t* x = input + (int64_t)r * depth;
    int16_t* y = output + (int64_t)r * depth;
    int16_t max = INT16_MIN;
    int32_t sum = 0, headroom = 0, shifted, right_shift;
    int16_t reciprocal;
    for (c = 0; c < depth; ++c) max = x[c] > max ? x[c] : max;
    for (c = 0; c < depth; ++c) {
      const int32_t scaled = ap_multiply_by_quantized_multiplier(x[c] - max, input_multiplier, input_shift);
      y[c] = lut_lookup((int16_t)ap_clamp_to(scaled + 32767, INT16_MIN, INT16_MAX), exp_lut);
      sum += y[c];
    }
    while (headroom < 32 && !((uint32_t)sum & (0x80000000u >> headroom))) ++headroom; /* CountLeadingZeros */
    shifted = (int32_t)((((int64_t)sum << (headroom - 1)) + (1 << 13)) >> 14);
    reciprocal = lut_lookup((int16_t)ap_clamp_to(shifted - ((1 << 15) + (1 << 16)), INT16_MIN, INT16_MAX),
                            one_over_one_plus_x_lut);
    right_shift = 31 - headroom;
    for (c = 0; c < depth; ++c) {
      const int64_t product = (int64_t)y[c] * reciprocal + ((int64_t)1 << (right_shift - 1));
      const int64_t result = product >= 0 ? product >> right_shift : -((-product - 1) >> right_shift) - 1;
      y[c] = (int16_t)(result < 0 ? 0 : (result > INT16_MAX ? INT16_MAX : result));
    }
  }
}
