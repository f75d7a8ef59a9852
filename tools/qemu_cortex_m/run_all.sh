#!/usr/bin/env bash
# run_all.sh: run_model.sh on the models of the README's results table. Exit 0 only if every set of every
# model matched. Extra arguments replace the model list.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
models=("$@")
if [[ ${#models[@]} -eq 0 ]]; then
  for m in tflm_hello_world_int8 tflm_micro_speech_int8 mlperf_tiny_kws_dscnn_int8 mlperf_tiny_ic_resnet8_int8 \
           mlperf_tiny_vww_mobilenetv1_int8 mlperf_tiny_ad_autoencoder_int8 tflm_test_conv_model; do
    models+=("$repo/data/models/$m.tflite")
  done
  models+=(/work/shared/models/tflite/mlperf_tiny_ic_resnet8_float32.tflite)
fi
failed=0
for m in "${models[@]}"; do
  echo "== $m"
  "$here/run_model.sh" "$m" || failed=$((failed + 1))
done
echo "models with a failing set: $failed of ${#models[@]}"
[[ $failed -eq 0 ]]
