#!/usr/bin/env python3
"""Compare the outputs of arenaplan's generated code with independent TFLite implementations.

  tools/compare_references.py ARENAPLAN ARMNN_RUN [TFLITE_RUN|-] MODEL.tflite...

For each model: `ARENAPLAN run --random-inputs 5 --save-io DIR MODEL` (6 input sets: 5 random,
1 constant; the planned run's outputs), then ARMNN_RUN (tools/armnn_reference, Arm NN CpuRef)
and, if given, TFLITE_RUN (the TFLite C API, see tools/armnn_reference/README.md) on the same
inputs. Prints, per reference, how many output values are identical and the largest
difference (quantisation steps for int8, absolute for float32). Standard library only.
"""
import os
import struct
import subprocess
import sys
import tempfile

SETS = 6


def values(data, is_float):
    return struct.unpack(f"{len(data) // 4}f", data) if is_float else struct.unpack(f"{len(data)}b", data)


def compare(model, directory, tool, name, is_float):
    total = same = 0
    worst = 0.0
    for k in range(SETS):
        ours = open(os.path.join(directory, f"output_{k}.bin"), "rb").read()
        out = os.path.join(directory, f"{name}_{k}.bin")
        r = subprocess.run([tool, model, os.path.join(directory, f"input_{k}.bin"), out], capture_output=True, text=True)
        if r.returncode != 0:
            return f"{name}: fails ({r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.returncode})"
        a, b = values(ours, is_float), values(open(out, "rb").read(), is_float)
        total += len(a)
        same += sum(1 for x, y in zip(a, b) if x == y)
        worst = max([worst] + [abs(x - y) for x, y in zip(a, b)])
    return f"{name}: {same}/{total} identical, max |diff| {worst:.3g}"


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    arenaplan, armnn, tflite = sys.argv[1:4]
    for model in sys.argv[4:]:
        with tempfile.TemporaryDirectory() as directory:
            r = subprocess.run([arenaplan, "run", "--random-inputs", str(SETS - 1), "--save-io", directory, model],
                               capture_output=True, text=True)
            if r.returncode != 0:
                print(f"{os.path.basename(model):45s} arenaplan run exit {r.returncode}: {r.stderr.strip()[:100]}")
                continue
            is_float = "float32" in os.path.basename(model)
            results = [compare(model, directory, armnn, "armnn", is_float)]
            if tflite != "-":
                results.append(compare(model, directory, tflite, "tflite", is_float))
            print(f"{os.path.basename(model):45s} " + "; ".join(results))


if __name__ == "__main__":
    main()
