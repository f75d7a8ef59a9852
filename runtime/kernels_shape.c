/* kernels_shape.c: the data-movement kernels of arenaplan_kernels.h (PAD, STRIDED_SLICE /
 * SLICE, CONCATENATION, SPLIT, GATHER). They move whole elements of any type, so one kernel
 * serves int8, uint8, int16 and float32 alike, and the results are exact by construction.
 *
 * Strict C99, no allocation, no state. None of them runs in place: the planner keeps their
 * output apart from their inputs (one stage, every operand live).
 */
#include <string.h>

#include "arenaplan_kernels.h"

/* Row-major strides (in elements) of a 5-D shape. */
static void strides_of(const int32_t* shape, int32_t* strides) {
  int32_t d;
  strides[AP_MAX_DIMS - 1] = 1;
  for (d = AP_MAX_DIMS - 2; d >= 0; --d) strides[d] = strides[d + 1] * shape[d + 1];
}

/* Follows tflite::reference_ops::Pad (PadImpl, 5-D): the output in row-major order, each element
 * the input's when inside it, else the pad value. */
void ap_pad(const ap_pad_params* p, const void* pad_value, const void* input, void* output) {
  const size_t size = (size_t)p->element_size;
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  int32_t out_shape[AP_MAX_DIMS], in_strides[AP_MAX_DIMS], i[AP_MAX_DIMS], d;
  for (d = 0; d < AP_MAX_DIMS; ++d) out_shape[d] = p->before[d] + p->in_shape[d] + p->after[d];
  strides_of(p->in_shape, in_strides);
  for (d = 0; d < AP_MAX_DIMS; ++d)
    if (out_shape[d] <= 0) return;
  for (i[0] = 0; i[0] < out_shape[0]; ++i[0])
    for (i[1] = 0; i[1] < out_shape[1]; ++i[1])
      for (i[2] = 0; i[2] < out_shape[2]; ++i[2])
        for (i[3] = 0; i[3] < out_shape[3]; ++i[3])
          for (i[4] = 0; i[4] < out_shape[4]; ++i[4]) {
            int32_t offset = 0, inside = 1;
            for (d = 0; d < AP_MAX_DIMS; ++d) {
              const int32_t x = i[d] - p->before[d];
              if (x < 0 || x >= p->in_shape[d]) inside = 0;
              offset += x * in_strides[d];
            }
            memcpy(out, inside ? (const void*)(in + (size_t)offset * size) : pad_value, size);
            out += size;
          }
}

/* Follows tflite::reference_ops::StridedSlice (5-D): output in row-major order. */
void ap_slice(const ap_slice_params* p, const void* input, void* output) {
  const size_t size = (size_t)p->element_size;
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  int32_t in_strides[AP_MAX_DIMS], i[AP_MAX_DIMS], d;
  strides_of(p->in_shape, in_strides);
  for (d = 0; d < AP_MAX_DIMS; ++d)
    if (p->out_shape[d] <= 0) return;
  for (i[0] = 0; i[0] < p->out_shape[0]; ++i[0])
    for (i[1] = 0; i[1] < p->out_shape[1]; ++i[1])
      for (i[2] = 0; i[2] < p->out_shape[2]; ++i[2])
        for (i[3] = 0; i[3] < p->out_shape[3]; ++i[3])
          for (i[4] = 0; i[4] < p->out_shape[4]; ++i[4]) {
            int32_t offset = 0;
            for (d = 0; d < AP_MAX_DIMS; ++d) offset += (p->start[d] + i[d] * p->stride[d]) * in_strides[d];
            memcpy(out, in + (size_t)offset * size, size);
            out += size;
          }
}

/* Follows tflite::reference_ops::Concatenation: per outer row, each input's slice in turn. */
void ap_concatenation(const ap_concat_params* p, const void* const* inputs, void* output) {
  uint8_t* out = (uint8_t*)output;
  int32_t row, part;
  for (row = 0; row < p->outer; ++row)
    for (part = 0; part < p->parts; ++part) {
      const size_t bytes = (size_t)p->axis_sizes[part] * (size_t)p->inner_bytes;
      memcpy(out, (const uint8_t*)inputs[part] + (size_t)row * bytes, bytes);
      out += bytes;
    }
}

/* Follows tflite::reference_ops::Split (split.cc's SplitImpl): the inverse of concatenation. */
void ap_split(const ap_concat_params* p, const void* input, void* const* outputs) {
  const uint8_t* in = (const uint8_t*)input;
  int32_t row, part;
  for (row = 0; row < p->outer; ++row)
    for (part = 0; part < p->parts; ++part) {
      const size_t bytes = (size_t)p->axis_sizes[part] * (size_t)p->inner_bytes;
      memcpy((uint8_t*)outputs[part] + (size_t)row * bytes, in, bytes);
      in += bytes;
    }
}

/* Follows tflite::reference_ops::Gather (batch_dims 0). */
void ap_gather(const ap_gather_params* p, const void* input, const void* indices, void* output) {
  const size_t inner = (size_t)p->inner_bytes;
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  int32_t row, i;
  for (row = 0; row < p->outer; ++row)
    for (i = 0; i < p->count; ++i) {
      const int64_t index = p->indices_64bit ? ((const int64_t*)indices)[i] : (int64_t)((const int32_t*)indices)[i];
      if (index < 0 || index >= p->axis_size)
        memset(out, 0, inner);
      else
        memcpy(out, in + ((size_t)row * (size_t)p->axis_size + (size_t)index) * inner, inner);
      out += inner;
    }
}
