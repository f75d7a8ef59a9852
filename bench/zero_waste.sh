#!/bin/sh
# Issue 18, goal 1: generated zero-waste packings (a 1 MiB x 65,536-step rectangle cut into N
# pieces by bench/make_large_inputs.py's guillotine(); the optimum is exactly 1 MiB) decided at
# capacity 1 MiB by `exact`, an older binary beside this one in the same run. Prints the result
# and the solve time each report gives (or the wall time of a run that found nothing).
# With WALL_CLOCK=1 each run has the whole TIME_LIMIT of wall time (else its work budget, which
# ends sooner on an idle machine); THREADS=N sets --threads.
# Usage: bench/zero_waste.sh OLD_BINARY [NEW_BINARY] [TIME_LIMIT=20] [WORK_DIR]
set -eu
old=$1
new=${2:-build/arenaplan}
limit=${3:-20}
work=${4:-/tmp/arenaplan-zero-waste}
here=$(dirname "$0")
mkdir -p "$work"
flags="${THREADS:+--threads $THREADS} ${WALL_CLOCK:+--wall-clock}"
echo "| pieces | old | new |"
echo "|--:|---|---|"
for n in 300 400 500 600 700 800; do
  f="$work/guillotine_$n.csv"
  [ -f "$f" ] || python3 -c "import sys; sys.path.insert(0, '$here'); import make_large_inputs as m; m.guillotine('$f', $n, $n)"
  row=""
  for bin in "$old" "$new"; do
    start=$(date +%s.%N)
    if "$bin" solve "$f" --algorithm exact --capacity 1048576 --time-limit "$limit" $flags --format json \
      >"$work/out.json" 2>/dev/null; then
      cell=$(python3 -c "import json; r = json.load(open('$work/out.json')); print(f\"fits, {r['solve_seconds']:.2f} s\")")
    else
      cell=$(echo "$start $(date +%s.%N)" | awk '{printf "not found, %.2f s wall", $2 - $1}')
    fi
    row="$row | $cell"
  done
  echo "| $n$row |"
done
