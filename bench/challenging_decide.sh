#!/bin/sh
# Issue 18, both cores: MiniMalloc's challenging set decided at its capacity (1 MiB) by `exact`,
# an older binary beside this one in the same run, on 1 and 2 threads. Prints the solve time each
# reports (no process start or file reading) and the sums; the machine is shared: compare the
# columns of one run, not runs.
# Usage: bench/challenging_decide.sh OLD_BINARY [NEW_BINARY] [CHALLENGING_DIR]
set -eu
old=$1
new=${2:-build/arenaplan}
dir=${3:-../shared/benchmarks/minimalloc/challenging}
seconds() { # seconds BINARY FILE THREADS: the solve time the report ends with
  "$1" solve "$2" --algorithm exact --capacity 1048576 --threads "$3" 2>&1 | sed -n 's/.* \([0-9.]*\) s$/\1/p' | tail -1
}
echo "| file | old, 1 thread | new, 1 thread | old, 2 threads | new, 2 threads |"
echo "|---|--:|--:|--:|--:|"
sums="0 0 0 0"
for f in "$dir"/*.csv; do
  row=""
  for run in "$old 1" "$new 1" "$old 2" "$new 2"; do
    set -- $run
    row="$row $(seconds "$1" "$f" "$2")"
  done
  echo "| $(basename "$f" .1048576.csv) | $(echo "${row# }" | sed 's/ / | /g') |"
  sums=$(echo "$sums $row" | awk '{printf "%.3f %.3f %.3f %.3f", $1 + $5, $2 + $6, $3 + $7, $4 + $8}')
done
echo "| all | $(echo "$sums" | sed 's/ / | /g') |"
