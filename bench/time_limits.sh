#!/bin/sh
# Wall time of solves against --time-limit on large generated inputs, and `run` on long models.
# Usage: bench/time_limits.sh [BUILD_DIR] [WORK_DIR]   (inputs are generated into WORK_DIR)
set -eu
build=${1:-build}
work=${2:-/tmp/arenaplan-time-limits}
here=$(dirname "$0")
mkdir -p "$work"
[ -f "$work/chain_1m3.csv" ] || python3 "$here/make_large_inputs.py" "$work"
[ -f "$work/long1k.tflite" ] || "$build/bench/make_long_model" 1000 "$work/long1k.tflite"
[ -f "$work/long10k.tflite" ] || "$build/bench/make_long_model" 10002 "$work/long10k.tflite"
# solve() alone (bench_time_limits reads the problem first, untimed), against each limit.
echo "| input | mode | --time-limit | read (s) | solve() (s) | solve() over the limit (s) | search ended by |"
echo "|---|---|--:|--:|--:|--:|---|"
for input in conflicts_2m.json intervals_200k.csv chain_1m3.csv; do
  for limit in 1 2 5; do
    for mode in "" wall-clock; do
      set -- $("$build/bench/bench_time_limits" "$work/$input" $limit $mode 2>/dev/null)
      printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$input" "${mode:-work budget}" "$limit" "$2" "$4" "$6" "$7"
    done
  done
done
echo
echo "| model | operators | run (s) |"
echo "|---|--:|--:|"
for m in long1k long10k; do
  start=$(date +%s.%N)
  "$build/arenaplan" run "$work/$m.tflite" >/dev/null
  echo "| $m | $( [ $m = long1k ] && echo 1000 || echo 10002 ) | $(echo "$(date +%s.%N) - $start" | bc) |"
done
