#!/usr/bin/env bash
# run_model.sh MODEL.tflite: runs arenaplan's generated C for MODEL on an emulated Cortex-M4 (qemu mps2-an386)
# and checks that every input set saved by `arenaplan run --save-io` gives the host's outputs byte for byte.
#
# Environment:
#   ARENAPLAN     the arenaplan binary (default: <repo>/build/arenaplan)
#   FLOAT_ABI     hard (default: -mfpu=fpv4-sp-d16 -mfloat-abi=hard) or soft (-mfloat-abi=soft)
#   OPT           optimisation flag (default -O2)
#   QEMU_TIMEOUT  seconds per qemu run (default 120)
#   KEEP          if set, build in this directory and keep it
#   ARENAPLAN_ARGS  extra arguments for `arenaplan compile` and `run` (e.g. --dim input_1=1x64x64x3)
#   EXTRA_C       more C files built into the target (e.g. libm_via_double.c, to tell libm's
#                 rounding from the kernels')
# Exit status: 0 only if every input set matched.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
arenaplan="${ARENAPLAN:-$repo/build/arenaplan}"
float_abi="${FLOAT_ABI:-hard}"
opt="${OPT:--O2}"
qemu_timeout="${QEMU_TIMEOUT:-120}"
read -r -a extra_args <<< "${ARENAPLAN_ARGS:-}"
read -r -a extra_c <<< "${EXTRA_C:-}"

if [[ $# -ne 1 ]]; then
  echo "usage: $0 MODEL.tflite" >&2
  exit 2
fi
model="$1"
[[ -f "$model" ]] || { echo "run_model.sh: no such model: $model" >&2; exit 2; }
label="$(basename "$model")"
label="${label%.*}"
# C identifier for the generated API (NAME_run, NAME_map_inputs, ...).
name="$(printf '%s' "$label" | tr -c 'A-Za-z0-9_' '_')"
[[ "$name" =~ ^[A-Za-z] ]] || name="m_$name"

if [[ -n "${KEEP:-}" ]]; then
  work="$KEEP"
  mkdir -p "$work"
else
  work="$(mktemp -d /tmp/qemu_cortex_m.XXXXXX)"
  trap 'rm -rf "$work"' EXIT
fi

case "$float_abi" in
  hard) fpu_flags=(-mfpu=fpv4-sp-d16 -mfloat-abi=hard) ;;
  soft) fpu_flags=(-mfloat-abi=soft) ;;
  *) echo "run_model.sh: FLOAT_ABI must be hard or soft" >&2; exit 2 ;;
esac
cc=arm-none-eabi-gcc
cflags=(-mcpu=cortex-m4 -mthumb "${fpu_flags[@]}" "$opt" -std=c99 -Wall -Wextra -Werror
        -ffunction-sections -fdata-sections)
ldflags=(-nostartfiles -T "$here/mps2_an386.ld" --specs=nano.specs -Wl,--gc-sections)

# 1. Generate the C code and the host's reference inputs/outputs.
"$arenaplan" compile "$model" "${extra_args[@]}" -o "$work/gen" --name "$name" > "$work/compile.log" 2>&1 ||
  { cat "$work/compile.log" >&2; exit 1; }
"$arenaplan" run "$model" "${extra_args[@]}" --save-io "$work/io" > "$work/run.log" 2>&1 ||
  { cat "$work/run.log" >&2; exit 1; }

# 2. Build the model and the startup once.
mkdir -p "$work/obj"
objs=()
for src in "$work/gen"/*.c "$here/startup.c" "${extra_c[@]}"; do
  obj="$work/obj/$(basename "$src" .c).o"
  "$cc" "${cflags[@]}" -I "$work/gen" -I "$here" -c "$src" -o "$obj"
  objs+=("$obj")
done

# 3. One program per saved input set: generate main, link, run under qemu.
status=0
sets=0
for input in "$work"/io/input_*.bin; do
  k="${input##*/input_}"
  k="${k%.bin}"
  expected="$work/io/output_$k.bin"
  main_c="$work/main_$k.c"
  elf="$work/${name}_$k.elf"
  python3 "$here/gen_main.py" "$work/gen" "$name" "$input" "$expected" "$label" "$main_c"
  "$cc" "${cflags[@]}" -I "$work/gen" -I "$here" -c "$main_c" -o "$work/obj/main_$k.o"
  "$cc" "${cflags[@]}" "${ldflags[@]}" -o "$elf" "${objs[@]}" "$work/obj/main_$k.o" -lm
  if [[ $sets -eq 0 ]]; then
    # .stack is a NOLOAD section in RAM, so Berkeley `size` would count it as bss: report it apart.
    arm-none-eabi-size -A "$elf" | awk -v f="$float_abi" '
      $1 ~ /^\.(text|ARM\.exidx|ARM\.extab)$/ {t += $2} $1 == ".data" {d += $2} $1 == ".bss" {b += $2} $1 == ".stack" {s += $2}
      END {printf "size (FLOAT_ABI=%s): text %d data %d bss %d (+ stack %d)\n", f, t, d, b, s}'
  fi
  sets=$((sets + 1))
  start=$(date +%s.%N)
  rc=0
  timeout "$qemu_timeout" qemu-system-arm -M mps2-an386 -cpu cortex-m4 -nographic -monitor none -serial none \
    -semihosting-config enable=on,target=native -kernel "$elf" > "$work/qemu_$k.log" 2>&1 || rc=$?
  secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
  result="$(grep -E '^(MATCH|MISMATCH|RUN FAILED|FAULT)' "$work/qemu_$k.log" | head -n 3 || true)"
  [[ -n "$result" ]] || result="no result (qemu exit $rc): $(head -c 300 "$work/qemu_$k.log" | tr '\n' ' ')"
  [[ $rc -eq 124 ]] && result="TIMEOUT after ${qemu_timeout}s; $result"
  echo "set $k: $(printf '%s' "$result" | tr '\n' ';' | sed 's/;$//') [exit $rc, ${secs}s]"
  if [[ $rc -ne 0 ]]; then
    status=1
    hex="$(sed -n 's/^OUTHEX //p' "$work/qemu_$k.log" | head -n 1)"
    if [[ -n "$hex" ]] && grep -q '_f32(' "$work/gen/${name}_model.c"; then
      python3 "$here/float_diff.py" "$hex" "$expected"
    fi
  elif ! grep -q '^MATCH' "$work/qemu_$k.log"; then
    status=1
  fi
done
if [[ $sets -eq 0 ]]; then
  echo "run_model.sh: arenaplan saved no input sets" >&2
  exit 1
fi
exit $status
