/* main.c: firmware-style use of the C that `arenaplan compile` writes, for TFLite Micro's
 * hello_world model (y = sin(x), int8), compiled with --name model (see README.md).
 *
 * It fills the input from a typed float buffer with the header's quantization macros, calls
 * model_run(), and reads the output back as floats. The same file builds for the host (prints
 * with stdio) and for a bare-metal Cortex-M4 (platform_print() over semihosting). */
#include <stdint.h>

#include "model.h"
#include "platform.h"

/* The input and output element types, as the header names them. */
typedef model_input_serving_default_dense_input_0_t input_t;
typedef model_output_statefulpartitionedcall_0_t output_t;

#define IN(x) MODEL_INPUT_SERVING_DEFAULT_DENSE_INPUT_0_##x
#define OUT(x) MODEL_OUTPUT_STATEFULPARTITIONEDCALL_0_##x

/* The header's facts, checked at compile time: one float in, one float out, int8 quantized. */
typedef char check_input_bytes[IN(SIZE) == IN(ELEMENTS) * sizeof(input_t) ? 1 : -1];
typedef char check_output_bytes[OUT(SIZE) == OUT(ELEMENTS) * sizeof(output_t) ? 1 : -1];
typedef char check_quantized[IN(QUANTIZED) && OUT(QUANTIZED) ? 1 : -1];

static input_t quantize(float real) {
  float q = real / IN(SCALE) + (float)IN(ZERO_POINT);
  q += q >= 0.0f ? 0.5f : -0.5f; /* round half away from zero, without libm */
  if (q < -128.0f) q = -128.0f;
  if (q > 127.0f) q = 127.0f;
  return (input_t)q;
}

static float dequantize(output_t q) { return OUT(SCALE) * (float)((int32_t)q - OUT(ZERO_POINT)); }

/* Prints "name=value" with three decimals: no printf needed on the target. */
static void print_milli(const char* name, float value) {
  char text[24];
  int32_t milli = (int32_t)(value * 1000.0f + (value >= 0.0f ? 0.5f : -0.5f));
  uint32_t magnitude = (uint32_t)(milli < 0 ? -milli : milli);
  int i = (int)sizeof text - 1;
  int digits = 0;
  text[i] = '\0';
  while (digits < 4 || magnitude > 0) {
    text[--i] = (char)('0' + magnitude % 10u);
    magnitude /= 10u;
    if (++digits == 3) text[--i] = '.';
  }
  if (milli < 0) text[--i] = '-';
  platform_print(name);
  platform_print("=");
  platform_print(&text[i]);
}

/* sin on [0, 2pi] to within 0.001, so the check needs no libm either. */
static float reference_sin(float x) {
  const float pi = 3.14159265f;
  float sign = 1.0f, x2, s;
  if (x > pi) {
    x -= pi;
    sign = -1.0f;
  }
  if (x > pi / 2.0f) x = pi - x;
  x2 = x * x;
  s = x * (1.0f - x2 / 6.0f * (1.0f - x2 / 20.0f * (1.0f - x2 / 42.0f * (1.0f - x2 / 72.0f))));
  return sign * s;
}

int main(void) {
  static const float xs[] = {0.5f, 1.57f, 3.0f, 4.7f};
  const model_inputs in = model_map_inputs();    /* the input lives inside the workspace pool */
  const model_outputs out = model_map_outputs(); /* so does the output */
  int failures = 0;
  unsigned k;
  platform_zero_section_pools();
  for (k = 0; k < sizeof xs / sizeof xs[0]; ++k) {
    float y, error;
    int32_t status;
    ((input_t*)in.serving_default_dense_input_0)[0] = quantize(xs[k]);
    status = model_run();
    if (status != MODEL_OK) {
      platform_print("model_run failed\n");
      return 2;
    }
    y = dequantize(((const output_t*)out.statefulpartitionedcall_0)[0]);
    error = y - reference_sin(xs[k]);
    if (error < 0.0f) error = -error;
    print_milli("x", xs[k]);
    print_milli(" y", y);
    print_milli(" sin", reference_sin(xs[k]));
    platform_print(error < 0.15f ? " ok\n" : " WRONG\n");
    failures += error < 0.15f ? 0 : 1;
  }
  platform_print(failures == 0 ? "hello_world: all outputs near sin(x)\n" : "hello_world: FAILED\n");
  return failures == 0 ? 0 : 1;
}
