/* libm_via_double.c: expf and tanhf through the double functions, rounded once to float, for
 * EXTRA_C=... run_model.sh. newlib's single-precision expf is not correctly rounded (glibc's is):
 * linked into the target in place of newlib's, it shows whether a float model's difference from
 * the host is libm's or the kernels'. */
#include <math.h>

float expf(float x) { return (float)exp((double)x); }
float tanhf(float x) { return (float)tanh((double)x); }
