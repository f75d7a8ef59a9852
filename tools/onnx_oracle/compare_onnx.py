#!/usr/bin/env python3
"""Compares arenaplan's generated code with ONNX Runtime on an ONNX model, operator by operator.

  tools/onnx_oracle/compare_onnx.py build/arenaplan MODEL.onnx [--sets N]

Runs `arenaplan run MODEL --save-io DIR --trace` (random and constant input sets), feeds the same
input bytes to ONNX Runtime (run_onnx.js, graph optimisations off) on a copy of the model whose every
node output is a graph output, and compares every tensor both computed under the same ONNX name (our
NHWC tensors are transposed back to NCHW first). Prints, per ONNX value and for the graph outputs,
how many elements are identical and the largest absolute difference. Needs python3-onnx and numpy
(Debian) and `npm install` in this folder; a measuring tool outside the product.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
DTYPES = {"float32": np.float32, "int8": np.int8, "uint8": np.uint8, "int32": np.int32, "int64": np.int64,
          "int16": np.int16}


def expose_all(model_path, out_path):
    m = onnx.load(model_path)
    outputs = {o.name for o in m.graph.output}
    for node in m.graph.node:
        for name in node.output:
            if name and name not in outputs and node.op_type not in ("Constant", "ConstantOfShape"):
                m.graph.output.append(onnx.ValueInfoProto(name=name))
                outputs.add(name)
    onnx.save(m, out_path)
    return [o.name for o in m.graph.output]


def ours_as_onnx(tensor, data, ort_shape):
    a = np.frombuffer(data, dtype=DTYPES[tensor["type"].lower()]).reshape(tensor["shape"])
    if len(tensor["shape"]) == 4 and list(a.shape) != list(ort_shape):
        a = a.transpose(0, 3, 1, 2)
    return a.reshape(ort_shape)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("arenaplan")
    ap.add_argument("model")
    ap.add_argument("--random-inputs", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        io = os.path.join(tmp, "io")
        run = subprocess.run([args.arenaplan, "run", args.model, "--random-inputs", str(args.random_inputs),
                              "--save-io", io, "--trace"], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"arenaplan run failed ({run.returncode}): {run.stderr.strip() or run.stdout[-500:]}")
        index = json.load(open(os.path.join(io, "index.json")))
        tensors = {t["index"]: t for t in index["tensors"]}
        by_name = {}
        for t in index["tensors"]:
            base = t["name"][:-len("/nhwc")] if t["name"].endswith("/nhwc") else t["name"]
            base = base[:-len("/nchw")] if base.endswith("/nchw") else base
            by_name.setdefault(base, t)
        exposed = os.path.join(tmp, "all_outputs.onnx")
        names = expose_all(args.model, exposed)
        stats = {}
        for s in index["sets"]:
            d = os.path.join(io, s["dir"])
            feeds = [f"{tensors[i]['name']}={os.path.join(d, tensors[i]['file'])}" for i in index["graph_inputs"]]
            out = os.path.join(tmp, "ort_" + s["dir"])
            subprocess.run(["node", os.path.join(HERE, "run_onnx.js"), exposed, out] + feeds, check=True)
            meta = json.load(open(os.path.join(out, "outputs.json")))
            for k, info in enumerate(meta):
                t = by_name.get(info["name"])
                if t is None or not os.path.exists(os.path.join(d, t["file"])):
                    continue
                ref = np.fromfile(os.path.join(out, f"{k}.bin"), dtype=DTYPES[info["type"]]).reshape(info["dims"])
                ours = ours_as_onnx(t, open(os.path.join(d, t["file"]), "rb").read(), ref.shape)
                diff = np.abs(ours.astype(np.float64) - ref.astype(np.float64))
                st = stats.setdefault(info["name"], [0, 0, 0.0, info["name"] in names[:len(onnx.load(args.model).graph.output)]])
                st[0] += int((diff == 0).sum())
                st[1] += diff.size
                st[2] = max(st[2], float(diff.max()) if diff.size else 0.0)
        producers = {o: n.op_type for n in onnx.load(args.model).graph.node for o in n.output}
        print(f"{os.path.basename(args.model)}: {len(index['sets'])} input sets, ONNX Runtime (optimisations off)")
        for name, (same, total, worst, is_out) in stats.items():
            print(f"  {'OUTPUT ' if is_out else ''}{producers.get(name, '?'):>18} {name}: {same}/{total} identical, "
                  f"max abs diff {worst:.3g}")


if __name__ == "__main__":
    main()
