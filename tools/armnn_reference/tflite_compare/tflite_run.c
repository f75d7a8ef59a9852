/* tflite_run: run a .tflite model once with the real TFLite interpreter (C API)
 * using the same file conventions as armnn_run, so the two can be compared
 * byte for byte:
 *
 *   tflite_run MODEL.tflite INPUTS.bin OUTPUTS.bin
 *
 * Optional helper; see ../README.md ("Comparing with TFLite") for where the
 * TFLite C library comes from. Exit status 0 on success, 2 on any error.
 * TFLITE_RUN_INPUT_SHAPE=1x64x64x3 resizes input 0 first (a model with
 * dynamic input dimensions, as `arenaplan --dim NAME=1x64x64x3`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tensorflow/lite/c/c_api.h"

static int fail(const char* model, const char* what) {
  fprintf(stderr, "tflite_run: %s: %s\n", model, what);
  return 2;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: tflite_run MODEL.tflite INPUTS.bin OUTPUTS.bin\n");
    return 2;
  }
  const char* model_path = argv[1];
  TfLiteModel* model = TfLiteModelCreateFromFile(model_path);
  if (!model) return fail(model_path, "cannot load model");
  TfLiteInterpreterOptions* opts = TfLiteInterpreterOptionsCreate();
  TfLiteInterpreterOptionsSetNumThreads(opts, 1);
  TfLiteInterpreter* interp = TfLiteInterpreterCreate(model, opts);
  if (!interp) return fail(model_path, "cannot create interpreter");
  const char* resize = getenv("TFLITE_RUN_INPUT_SHAPE");
  if (resize && *resize) {
    int dims[8], rank = 0;
    char* p = (char*)resize;
    while (rank < 8) {
      dims[rank++] = (int)strtol(p, &p, 10);
      if (*p != 'x') break;
      ++p;
    }
    if (TfLiteInterpreterResizeInputTensor(interp, 0, dims, rank) != kTfLiteOk)
      return fail(model_path, "ResizeInputTensor failed");
  }
  if (TfLiteInterpreterAllocateTensors(interp) != kTfLiteOk) return fail(model_path, "AllocateTensors failed");

  size_t want = 0;
  int nin = TfLiteInterpreterGetInputTensorCount(interp);
  for (int i = 0; i < nin; ++i) want += TfLiteTensorByteSize(TfLiteInterpreterGetInputTensor(interp, i));

  FILE* f = fopen(argv[2], "rb");
  if (!f) return fail(model_path, "cannot open inputs");
  unsigned char* in = malloc(want + 1);
  size_t got = fread(in, 1, want + 1, f);
  fclose(f);
  if (got != want) {
    char msg[200];
    snprintf(msg, sizeof msg, "%s has %zu bytes, model inputs need %zu", argv[2], got, want);
    return fail(model_path, msg);
  }
  size_t off = 0;
  for (int i = 0; i < nin; ++i) {
    TfLiteTensor* t = TfLiteInterpreterGetInputTensor(interp, i);
    size_t n = TfLiteTensorByteSize(t);
    if (TfLiteTensorCopyFromBuffer(t, in + off, n) != kTfLiteOk) return fail(model_path, "copy-in failed");
    off += n;
  }
  if (TfLiteInterpreterInvoke(interp) != kTfLiteOk) return fail(model_path, "Invoke failed");

  FILE* o = fopen(argv[3], "wb");
  if (!o) return fail(model_path, "cannot open outputs");
  int nout = TfLiteInterpreterGetOutputTensorCount(interp);
  for (int i = 0; i < nout; ++i) {
    const TfLiteTensor* t = TfLiteInterpreterGetOutputTensor(interp, i);
    if (fwrite(TfLiteTensorData(t), 1, TfLiteTensorByteSize(t), o) != TfLiteTensorByteSize(t))
      return fail(model_path, "write failed");
  }
  fclose(o);
  free(in);
  TfLiteInterpreterDelete(interp);
  TfLiteInterpreterOptionsDelete(opts);
  TfLiteModelDelete(model);
  return 0;
}
