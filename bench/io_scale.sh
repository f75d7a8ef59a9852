#!/bin/sh
# Issue 18, I/O that scales: wall time of a whole `solve` (read, gap-filling order, self-check,
# write the plan) and of `check` on model-like chains, an older binary beside this one in the
# same run (the machine is shared: compare the columns, not runs).
# Usage: bench/io_scale.sh OLD_BINARY [NEW_BINARY] [WORK_DIR]
set -eu
old=$1
new=${2:-build/arenaplan}
work=${3:-/tmp/arenaplan-io-scale}
here=$(dirname "$0")
mkdir -p "$work"
[ -f "$work/chain_1m3.csv" ] || python3 -c "import sys; sys.path.insert(0, '$here'); import make_large_inputs as m; m.chain('$work/chain_1m3.csv')"
[ -f "$work/chain_130k.csv" ] || head -130001 "$work/chain_1m3.csv" >"$work/chain_130k.csv"
limit=${LIMIT:-120}  # seconds a command may take (the old check was quadratic)
seconds() { # seconds COMMAND...: wall time of the command, its output dropped
  start=$(date +%s.%N)
  if timeout "$limit" "$@" >/dev/null 2>&1; then
    printf '%.2f' "$(echo "$(date +%s.%N) - $start" | bc)"
  else
    [ $? -eq 124 ] && printf '> %s' "$limit" || printf 'failed'
  fi
}
solve="solve --algorithm best_fit_by_first_use --no-timing"
echo "| input | old solve -o .json | new solve -o .json | new solve -o .csv | old check .json | new check .json | new check .csv |"
echo "|---|--:|--:|--:|--:|--:|--:|"
for input in chain_130k chain_1m3; do
  in="$work/$input.csv"
  a=$(seconds "$old" $solve "$in" -o "$work/old.json")
  b=$(seconds "$new" $solve "$in" -o "$work/new.json")
  c=$(seconds "$new" $solve "$in" -o "$work/new.csv")
  d=$(seconds "$old" check "$in" "$work/new.json")
  e=$(seconds "$new" check "$in" "$work/new.json")
  f=$(seconds "$new" check "$in" "$work/new.csv")
  cmp -s "$work/old.json" "$work/new.json" || echo "note: the plan JSON differs from the old binary's" >&2
  echo "| $input | $a | $b | $c | $d | $e | $f |"
done
