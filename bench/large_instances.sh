#!/bin/sh
# auto on the large public DSA instances (and a generated 200k-buffer one), a previous binary
# against this one in the same run: total, ratio to the lower bound, the member that produced
# the plan, solve seconds and work units. The budget is --time-limit (its work budget,
# 20 M units a second); add --threads N through THREADS. With WORK_LIMIT=N the budget is N work
# units and the deadline 60x the time limit: the same plan on any machine and load.
# Usage: bench/large_instances.sh OLD_ARENAPLAN NEW_ARENAPLAN [TIME_LIMIT] [WORK_DIR]
set -eu
old=$1
new=$2
limit=${3:-10}
work=${4:-/tmp/arenaplan-large-instances}
here=$(dirname "$0")
dsa="$here/../../shared/benchmarks/dsa"
mkdir -p "$work"
[ -f "$work/intervals_200k.csv" ] ||
  python3 -c "import sys; sys.path.insert(0, '$here'); import make_large_inputs as m; m.intervals('$work/intervals_200k.csv')"
threads=${THREADS:+--threads $THREADS}
budget="--time-limit $limit"
[ -n "${WORK_LIMIT:-}" ] && budget="--work-limit $WORK_LIMIT --time-limit $((limit * 60))"
echo "| instance | buffers | lower bound | binary | total | ratio | plan from | ended by | solve (s) | work units |"
echo "|---|--:|--:|---|--:|--:|---|---|--:|--:|"
for f in "$dsa"/idealloc/iopddl_S_1.csv "$dsa"/idealloc/iopddl_G_1.csv "$dsa"/idealloc/somas_resnet50.csv \
  "$work/intervals_200k.csv"; do
  n=$(($(wc -l <"$f") - 1))
  for which in old new; do
    bin=$old
    [ $which = new ] && bin=$new
    "$bin" solve "$f" $budget $threads --format json >"$work/out.json" 2>/dev/null
    python3 - "$work/out.json" "$f" "$n" "$which" <<'PY'
import json, os, sys
r = json.load(open(sys.argv[1]))
total = sum(p["size_bytes"] for p in r["pools"])
lb = r["lower_bound_bytes"]
print(f"| {os.path.basename(sys.argv[2])} | {int(sys.argv[3]):,} | {lb:,} | {sys.argv[4]} | {total:,} | {total / lb:.4f} | "
      f"{r['algorithm']} | {r['stopped_by']} | {r['solve_seconds']:.2f} | {r.get('work_units', '')} |")
PY
  done
done
