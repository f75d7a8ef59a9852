#!/usr/bin/env python3
"""Compare armnn_run (Arm NN 20.08 CpuRef) with tflite_run (TFLite C API)
on pseudo-random inputs, byte for byte.

  compare.py ARMNN_RUN TFLITE_RUN SEEDS MODEL.tflite [MODEL.tflite ...]

For each model and seed 1..SEEDS: make inputs with `armnn_run --random-inputs`,
run both, and report per output: elements that differ, the max |difference|
(in quantized steps for integer tensors, absolute and relative for float32)
and the histogram of integer differences. Standard library only.
"""
import collections
import os
import re
import struct
import subprocess
import sys
import tempfile

SIZES = {"Float32": 4, "QAsymmS8": 1, "QSymmS8": 1, "QAsymmU8": 1, "Signed32": 4, "QSymmS16": 2}
FMT = {"Float32": "f", "QAsymmS8": "b", "QSymmS8": "b", "QAsymmU8": "B", "Signed32": "i", "QSymmS16": "h"}


def describe(armnn_run, model):
    out = subprocess.run([armnn_run, "--describe", model], capture_output=True, text=True)
    if out.returncode != 0:
        return None, out.stderr.strip()
    outs = []
    for line in out.stdout.splitlines():
        m = re.match(r"output\[\d+\] name=(.*) dtype=(\S+) shape=\S+ bytes=(\d+)", line)
        if m:
            outs.append((m.group(1), m.group(2), int(m.group(3))))
    return outs, None


def main():
    armnn_run, tflite_run, seeds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for model in sys.argv[4:]:
        name = os.path.basename(model)
        outs, err = describe(armnn_run, model)
        if outs is None:
            print(f"{name}: armnn_run cannot load: {err}")
            continue
        stats = [dict(n=0, diff=0, maxd=0.0, maxref=0.0, hist=collections.Counter()) for _ in outs]
        failed = None
        with tempfile.TemporaryDirectory() as tmp:
            for seed in range(1, seeds + 1):
                inp, a, t = (os.path.join(tmp, x) for x in ("in.bin", "a.bin", "t.bin"))
                subprocess.run([armnn_run, "--random-inputs", model, str(seed), inp], check=True)
                ra = subprocess.run([armnn_run, model, inp, a], capture_output=True, text=True)
                rt = subprocess.run([tflite_run, model, inp, t], capture_output=True, text=True)
                if ra.returncode or rt.returncode:
                    failed = (ra.stderr + rt.stderr).strip()
                    break
                da, dt = open(a, "rb").read(), open(t, "rb").read()
                off = 0
                for k, (_, dtype, nbytes) in enumerate(outs):
                    cnt = nbytes // SIZES[dtype]
                    va = struct.unpack(f"<{cnt}{FMT[dtype]}", da[off:off + nbytes])
                    vt = struct.unpack(f"<{cnt}{FMT[dtype]}", dt[off:off + nbytes])
                    off += nbytes
                    s = stats[k]
                    for x, y in zip(va, vt):
                        s["n"] += 1
                        d = x - y
                        if d != 0:
                            s["diff"] += 1
                        s["maxd"] = max(s["maxd"], abs(d))
                        s["maxref"] = max(s["maxref"], abs(y))
                        if dtype != "Float32":
                            s["hist"][d] += 1
        if failed:
            print(f"{name}: run failed: {failed}")
            continue
        for (oname, dtype, _), s in zip(outs, stats):
            line = (f"{name}: output {oname} ({dtype}), {seeds} seeds: {s['diff']}/{s['n']} elements differ, "
                    f"max|diff|={s['maxd']:.6g}")
            if dtype == "Float32":
                line += f" (max|ref|={s['maxref']:.6g})"
            else:
                line += " hist{" + ", ".join(f"{d:+d}:{c}" for d, c in sorted(s["hist"].items())) + "}"
            print(line)


if __name__ == "__main__":
    main()
