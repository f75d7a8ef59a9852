/* kernels_space_batch.c: SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND of arenaplan_kernels.h (NHWC).
 * Strict C99, no allocation, no state. Both move whole pixels (depth elements) out of order, so
 * the output must not overlap the input. */
#include <string.h>

#include "arenaplan_kernels.h"

/* Follows tflite::reference_ops::SpaceToBatchND: output batch b reads input batch b % in_batch at
 * the block offset (b / in_batch) of the padded image; padding gets pad_value. */
void ap_space_to_batch(const ap_space_batch_params* p, const void* pad_value, const void* input, void* output) {
  const size_t pixel = (size_t)p->depth * (size_t)p->element_size;
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  int32_t b, y, x, e;
  for (b = 0; b < p->out_batch; ++b) {
    const int32_t in_b = b % p->in_batch, shift = b / p->in_batch;
    const int32_t shift_h = shift / p->block_w, shift_w = shift % p->block_w;
    for (y = 0; y < p->out_h; ++y)
      for (x = 0; x < p->out_w; ++x) {
        const int32_t in_y = y * p->block_h + shift_h - p->pad_top, in_x = x * p->block_w + shift_w - p->pad_left;
        if (in_y < 0 || in_y >= p->in_h || in_x < 0 || in_x >= p->in_w) {
          for (e = 0; e < p->depth; ++e)
            memcpy(out + (size_t)e * (size_t)p->element_size, pad_value, (size_t)p->element_size);
        } else {
          memcpy(out, in + (((size_t)in_b * (size_t)p->in_h + (size_t)in_y) * (size_t)p->in_w + (size_t)in_x) * pixel,
                 pixel);
        }
        out += pixel;
      }
  }
}

/* Follows tflite::reference_ops::BatchToSpaceND: input batch b goes to output batch b % out_batch
 * at the block offset (b / out_batch), less the crops. */
void ap_batch_to_space(const ap_space_batch_params* p, const void* input, void* output) {
  const size_t pixel = (size_t)p->depth * (size_t)p->element_size;
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  int32_t b, y, x;
  for (b = 0; b < p->in_batch; ++b) {
    const int32_t out_b = b % p->out_batch, shift = b / p->out_batch;
    for (y = 0; y < p->in_h; ++y) {
      const int32_t out_y = y * p->block_h + shift / p->block_w - p->pad_top;
      if (out_y < 0 || out_y >= p->out_h) continue;
      for (x = 0; x < p->in_w; ++x) {
        const int32_t out_x = x * p->block_w + shift % p->block_w - p->pad_left;
        if (out_x < 0 || out_x >= p->out_w) continue;
        memcpy(out + (((size_t)out_b * (size_t)p->out_h + (size_t)out_y) * (size_t)p->out_w + (size_t)out_x) * pixel,
               in + (((size_t)b * (size_t)p->in_h + (size_t)y) * (size_t)p->in_w + (size_t)x) * pixel, pixel);
      }
    }
  }
}
