#!/usr/bin/env bash
# test_example.sh ARENAPLAN: compiles hello_world with arenaplan, builds this example with CMake
# and with make for the host and runs both; with arm-none-eabi-gcc, builds it for the Cortex-M4
# both ways (checking that the section= pool landed in DTCM), and with qemu-system-arm runs them.
# Every run must print the same lines and exit 0.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
arenaplan="${1:?usage: $0 ARENAPLAN}"
work="$(mktemp -d /tmp/arenaplan-example.XXXXXX)"
trap 'rm -rf "$work"' EXIT

"$arenaplan" compile "$repo/data/models/tflm_hello_world_int8.tflite" -o "$work/model" --name model -q \
  --pool dtcm:size=64K,section=.dtcm_pool --pool sram

cmake -S "$here" -B "$work/cmake-host" -DMODEL_DIR="$work/model" > "$work/log" 2>&1 || { cat "$work/log"; exit 1; }
cmake --build "$work/cmake-host" > "$work/log" 2>&1 || { cat "$work/log"; exit 1; }
"$work/cmake-host/example" > "$work/cmake-host.out"
make -s -C "$here" MODEL_DIR="$work/model" BUILD="$work/make-host" > "$work/log" 2>&1 || { cat "$work/log"; exit 1; }
"$work/make-host/example" > "$work/make-host.out"
cmp "$work/cmake-host.out" "$work/make-host.out"
cat "$work/make-host.out"

if ! command -v arm-none-eabi-gcc > /dev/null; then
  echo "arm-none-eabi-gcc not installed: Cortex-M4 builds skipped"
  exit 0
fi
make -s -C "$here" TARGET=cortex-m4 MODEL_DIR="$work/model" BUILD="$work/make-m4" > "$work/log" 2>&1 ||
  { cat "$work/log"; exit 1; }
cmake -S "$here" -B "$work/cmake-m4" -DCMAKE_TOOLCHAIN_FILE="$here/cortex_m4.cmake" -DMODEL_DIR="$work/model" \
  > "$work/log" 2>&1 || { cat "$work/log"; exit 1; }
cmake --build "$work/cmake-m4" > "$work/log" 2>&1 || { cat "$work/log"; exit 1; }
for elf in "$work/make-m4/example.elf" "$work/cmake-m4/example.elf"; do
  # The DTCM pool starts the DTCM region (dtcm_pool.ld), 0x20000000.
  address="$(arm-none-eabi-nm "$elf" | awk '$3 == "model_dtcm" {print $1}')"
  [[ "$address" == "20000000" ]] || { echo "model_dtcm at '$address', not 0x20000000 in $elf"; exit 1; }
  if command -v qemu-system-arm > /dev/null; then
    timeout 60 qemu-system-arm -M mps2-an386 -cpu cortex-m4 -nographic -monitor none -serial none \
      -semihosting-config enable=on,target=native -kernel "$elf" > "$elf.out" 2>&1
    cmp "$work/make-host.out" "$elf.out" || { echo "Cortex-M4 output differs:"; cat "$elf.out"; exit 1; }
  fi
done
command -v qemu-system-arm > /dev/null && echo "Cortex-M4 (qemu mps2-an386): same output" ||
  echo "Cortex-M4: built (qemu-system-arm not installed, not run)"
