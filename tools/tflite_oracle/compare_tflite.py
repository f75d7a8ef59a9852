#!/usr/bin/env python3
"""Compare every operator output of arenaplan's generated code with the TFLite 2.9 C library, for
models TensorFlow Lite Micro refuses (hybrid, uint8), on the golden collection's input sets.

  tools/tflite_oracle/compare_tflite.py ARENAPLAN ARMNN_RUN TFLITE_RUN MODEL.tflite...

Inputs: set 0 and set 1 of ../shared/golden/tflm's generator (splitmix64, see its README).
`ARENAPLAN run --inputs ... --trace --save-io DIR` dumps every operator output as t<index>.bin;
for each operator, `ARMNN_RUN --patch-model MODEL OUT OP` makes that operator's first output the
model's output 0 and TFLITE_RUN (tools/armnn_reference/README.md) computes it. Prints per model:
tensors compared / identical, the max difference (quantisation steps for integers, absolute for
float32). A measuring tool, not a test: the TFLite library is not a dependency. Standard library only.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

M = (1 << 64) - 1
FORMATS = {"INT8": "b", "UINT8": "B", "INT16": "h", "INT32": "i", "FLOAT32": "f"}


def generate(seed, i, n, typ):
    s = (seed * 1000003 + i) & M
    out = bytearray()
    for _ in range(n):
        s = (s + 0x9E3779B97F4A7C15) & M
        z = s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        z ^= z >> 31
        if typ in ("INT8", "UINT8"):
            out.append(z & 0xFF)
        elif typ == "INT16":
            out += struct.pack("<H", z & 0xFFFF)
        elif typ == "FLOAT32":
            out += struct.pack("<f", ((z >> 40) / 16777216.0) * 2.0 - 1.0)
        elif typ == "INT32":
            out += struct.pack("<I", z & 15)
        else:
            raise ValueError(f"no generator for {typ}")
    return bytes(out)


def elements(t):
    n = 1
    for d in t["shape"]:
        n *= d
    return n


def compare_model(arenaplan, armnn, tflite, model, work):
    # Our run, with the graph inputs' types and shapes from a first dump.
    probe = subprocess.run([arenaplan, "run", model, "--random-inputs", "0", "--save-io", f"{work}/probe"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return f"arenaplan run exit {probe.returncode}: {probe.stderr.strip().splitlines()[-1][:140]}"
    index = json.load(open(f"{work}/probe/index.json"))
    tensors = {t["index"]: t for t in index["tensors"]}
    args = [arenaplan, "run", model]
    for k in (0, 1):
        args.append("--inputs")
        for i, t in enumerate(index["graph_inputs"]):
            path = f"{work}/set{k}_input{i}.bin"
            open(path, "wb").write(generate(k, i, elements(tensors[t]), tensors[t]["type"]))
            args.append(path)
    r = subprocess.run(args + ["--trace", "--save-io", f"{work}/io"], capture_output=True, text=True)
    if r.returncode != 0:
        return f"arenaplan run exit {r.returncode}"
    index = json.load(open(f"{work}/io/index.json"))
    by_index = {t["index"]: t for t in index["tensors"]}
    # The model as it is (every graph output), then once per other operator with its first output
    # made graph output 0 (TFLite writes every output, concatenated: output 0 comes first).
    runs = [(model, index["graph_outputs"])]
    for op in sorted({t["producer"] for t in index["tensors"] if t["producer"] >= 0}):
        t = next(t for t in index["tensors"] if t["producer"] == op)
        if t["index"] in index["graph_outputs"]:
            continue
        patched = f"{work}/op{op}.tflite"
        p = subprocess.run([armnn, "--patch-model", model, patched, str(op)], capture_output=True, text=True)
        if p.returncode != 0:
            return f"armnn_run --patch-model failed: {p.stderr.strip()}"
        runs.append((patched, [t["index"]]))
    compared = identical = in_place = 0
    worst = 0.0
    first = None
    inputs = [b"".join(open(f"{work}/set{k}_input{i}.bin", "rb").read() for i in range(len(index["graph_inputs"])))
              for k in (0, 1)]
    for path, outputs in runs:
        for k in (0, 1):
            open(f"{work}/in.bin", "wb").write(inputs[k])
            q = subprocess.run([tflite, path, f"{work}/in.bin", f"{work}/out.bin"], capture_output=True, text=True)
            if q.returncode != 0:
                return f"tflite_run fails: {q.stderr.strip().splitlines()[-1] if q.stderr.strip() else q.returncode}"
            all_theirs = open(f"{work}/out.bin", "rb").read()
            at = 0
            for tensor in outputs:
                t = by_index[tensor]
                theirs = all_theirs[at:at + t["bytes"]]
                at += t["bytes"]
                dump = f"{work}/io/set{k}/t{tensor}.bin"
                if not os.path.exists(dump):  # written in place into its consumer's output (CONCATENATION)
                    in_place += 1
                    continue
                ours = open(dump, "rb").read()
                compared += 1
                if theirs == ours:
                    identical += 1
                    continue
                if first is None or t["producer"] < first[0]:  # the earliest operator that differs
                    first = (t["producer"], f"operator {t['producer']} output t{tensor} ({t['type']})")
                f = FORMATS[t["type"]]
                a = struct.unpack(f"<{len(ours) // struct.calcsize(f)}{f}", ours)
                b = struct.unpack(f"<{len(theirs) // struct.calcsize(f)}{f}", theirs)
                worst = max([worst] + [abs(x - y) for x, y in zip(a, b)])
    where = f"; first difference: {first[1]}" if first else ""
    skipped = f" ({in_place} written in place into a concatenation, not dumped)" if in_place else ""
    return f"tensors compared {compared} / identical {identical}, max |diff| {worst:.3g}{where}{skipped}"


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    arenaplan, armnn, tflite = sys.argv[1:4]
    for model in sys.argv[4:]:
        with tempfile.TemporaryDirectory() as work:
            print(f"{os.path.basename(model):45s} {compare_model(arenaplan, armnn, tflite, model, work)}", flush=True)


if __name__ == "__main__":
    main()
