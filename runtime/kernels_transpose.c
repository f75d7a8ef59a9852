/* kernels_transpose.c: TRANSPOSE (arenaplan_kernels.h). Strict C99, no allocation, no state. */
#include <string.h>

#include "arenaplan_kernels.h"

/* Follows tflite::reference_ops::Transpose: the output in row-major order, each element read from
 * the input position its index maps to through perm. */
void ap_transpose(const ap_transpose_params* p, const void* input, void* output) {
  int32_t in_strides[AP_MAX_DIMS], out_shape[AP_MAX_DIMS], strides[AP_MAX_DIMS], i[AP_MAX_DIMS], d;
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  const size_t size = (size_t)p->element_size;
  in_strides[AP_MAX_DIMS - 1] = 1;
  for (d = AP_MAX_DIMS - 2; d >= 0; --d) in_strides[d] = in_strides[d + 1] * p->in_shape[d + 1];
  for (d = 0; d < AP_MAX_DIMS; ++d) {
    if (p->in_shape[d] <= 0 || p->perm[d] < 0 || p->perm[d] >= AP_MAX_DIMS) return;
    out_shape[d] = p->in_shape[p->perm[d]];
    strides[d] = in_strides[p->perm[d]];
  }
  for (i[0] = 0; i[0] < out_shape[0]; ++i[0])
    for (i[1] = 0; i[1] < out_shape[1]; ++i[1])
      for (i[2] = 0; i[2] < out_shape[2]; ++i[2])
        for (i[3] = 0; i[3] < out_shape[3]; ++i[3])
          for (i[4] = 0; i[4] < out_shape[4]; ++i[4]) {
            const int32_t offset =
                i[0] * strides[0] + i[1] * strides[1] + i[2] * strides[2] + i[3] * strides[3] + i[4] * strides[4];
            memcpy(out, in + (size_t)offset * size, size);
            out += size;
          }
}
