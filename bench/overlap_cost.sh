#!/bin/sh
# bench/overlap_cost.sh [MODEL...]: executed instructions of the generated code with and without
# overlap (valgrind --tool=callgrind on the host build, -O2, one NAME_run() on zeroed inputs),
# per model, as a table. Run from the repository root after building build/arenaplan.
set -eu
ARENAPLAN=${ARENAPLAN:-build/arenaplan}
CC=${CC:-cc}
[ $# -gt 0 ] || set -- data/models/mlperf_tiny_vww_mobilenetv1_int8.tflite data/models/mlperf_tiny_kws_dscnn_int8.tflite \
  data/models/mlperf_tiny_ic_resnet8_int8.tflite data/models/mlperf_tiny_ad_autoencoder_int8.tflite \
  data/models/mlperf_tiny_kws_dscnn_float32_hybrid.tflite
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# instructions MODEL [FLAGS]: Ir of one NAME_run() built from `arenaplan compile MODEL FLAGS`.
instructions() {
  dir="$work/$(basename "$1" .tflite)$2"
  "$ARENAPLAN" compile "$1" -o "$dir" --name m -q ${2:-}
  printf '#include "m.h"\nint main(void) { return m_run() == 0 ? 0 : 1; }\n' >"$dir/main.c"
  $CC -std=c99 -O2 -I "$dir" -o "$dir/prog" "$dir"/*.c -lm
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$dir/prog" 2>&1 | sed -n 's/.*Collected : *//p'
}
printf '%-42s %14s %14s %8s\n' model "whole tensors" "with overlap" change
for model in "$@"; do
  without=$(instructions "$model" --no-overlap)
  with=$(instructions "$model" "")
  printf '%-42s %14s %14s %+7.2f%%\n' "$(basename "$model" .tflite)" "$without" "$with" \
    "$(echo "100 * ($with - $without) / $without" | bc -l)"
done
echo "instructions executed (callgrind Ir) by one inference; whole tensors = compile --no-overlap"
