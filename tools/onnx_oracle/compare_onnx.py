#!/usr/bin/env python3
"""Compares arenaplan's generated code with ONNX Runtime on an ONNX model, operator by operator.

  tools/onnx_oracle/compare_onnx.py build/arenaplan MODEL.onnx [--random-inputs N] [--json FILE]

Runs `arenaplan run MODEL --save-io DIR --trace` (random and constant input sets), feeds the same
input bytes to ONNX Runtime (run_onnx.js, graph optimisations off) on a copy of the model whose every
node output is a graph output, and compares every tensor both computed under the same ONNX name (our
NHWC tensors are transposed back to NCHW first). Prints, per ONNX value in graph order, how many
elements are identical, the largest absolute difference and the largest relative one (absolute
difference over the largest magnitude of ONNX Runtime's tensor), then per operator type, and the
first node whose output differs. Needs python3-onnx and numpy (Debian: run it with /usr/bin/python3)
and `npm install --ignore-scripts` in this folder; a measuring tool outside the product.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
DTYPES = {"float32": np.float32, "int8": np.int8, "uint8": np.uint8, "int32": np.int32, "int64": np.int64,
          "int16": np.int16}


def expose_all(model, out_path):
    outputs = {o.name for o in model.graph.output}
    for node in model.graph.node:
        for name in node.output:
            if name and name not in outputs and node.op_type not in ("Constant", "ConstantOfShape"):
                model.graph.output.append(onnx.ValueInfoProto(name=name))
                outputs.add(name)
    onnx.save(model, out_path)


def ours_as_onnx(tensor, data, ort_shape):
    a = np.frombuffer(data, dtype=DTYPES[tensor["type"].lower()]).reshape(tensor["shape"])
    if len(tensor["shape"]) == 4 and list(a.shape) != list(ort_shape):
        a = a.transpose(0, 3, 1, 2)
    return a.reshape(ort_shape)


def compare(arenaplan, model_path, random_inputs=2):
    """Runs both; returns {"run": first lines of `arenaplan run`, "run_seconds", "values": [...]}."""
    model = onnx.load(model_path)
    graph_outputs = [o.name for o in model.graph.output]
    producers = {o: n for n in model.graph.node for o in n.output}
    order = {o: k for k, n in enumerate(model.graph.node) for o in n.output}
    with tempfile.TemporaryDirectory() as tmp:
        io = os.path.join(tmp, "io")
        start = time.monotonic()
        run = subprocess.run([arenaplan, "run", model_path, "--random-inputs", str(random_inputs), "--save-io", io,
                              "--trace"], capture_output=True, text=True)
        run_seconds = time.monotonic() - start
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
        expose_all(model, exposed)
        stats = {}
        hwc_order = set()
        for s in index["sets"]:
            d = os.path.join(io, s["dir"])
            feeds = [f"{tensors[i]['name']}={os.path.join(d, tensors[i]['file'])}" for i in index["graph_inputs"]]
            out = os.path.join(tmp, "ort_" + s["dir"])
            subprocess.run(["node", os.path.join(HERE, "run_onnx.js"), exposed, out] + feeds, check=True)
            meta = json.load(open(os.path.join(out, "outputs.json")))
            dims = {info["name"]: info["dims"] for info in meta}
            for k, info in enumerate(meta):
                t = by_name.get(info["name"])
                if t is None or not os.path.exists(os.path.join(d, t["file"])):
                    continue
                ref = np.fromfile(os.path.join(out, f"{k}.bin"), dtype=DTYPES[info["type"]]).reshape(info["dims"])
                ours = ours_as_onnx(t, open(os.path.join(d, t["file"]), "rb").read(), ref.shape)
                # A Flatten/Reshape into a Gemm flattens our NHWC bytes as they are (its weights were
                # reordered at import): compare with ONNX Runtime's values in HWC order.
                node = producers.get(info["name"])
                source = dims.get(node.input[0]) if node is not None and node.op_type in ("Reshape", "Flatten") else None
                if source is not None and len(source) == 4 and ref.ndim == 2 and not np.array_equal(ours, ref):
                    hwc = ref.reshape(source).transpose(0, 2, 3, 1).reshape(ref.shape)
                    if np.array_equal(ours, hwc) or np.abs(ours - hwc).max() < np.abs(ours - ref).max():
                        ref = hwc
                        hwc_order.add(info["name"])
                diff = np.abs(ours.astype(np.float64) - ref.astype(np.float64))
                scale = float(np.abs(ref.astype(np.float64)).max()) if ref.size else 0.0
                st = stats.setdefault(info["name"], {"name": info["name"], "identical": 0, "elements": 0,
                                                     "max_abs": 0.0, "max_rel": 0.0,
                                                     "output": info["name"] in graph_outputs})
                st["identical"] += int((diff == 0).sum())
                st["elements"] += int(diff.size)
                worst = float(diff.max()) if diff.size else 0.0
                st["max_abs"] = max(st["max_abs"], worst)
                st["max_rel"] = max(st["max_rel"], worst / scale if scale > 0 else (0.0 if worst == 0 else 1.0))
        values = sorted(stats.values(), key=lambda v: order.get(v["name"], len(order)))
        for v in values:
            node = producers.get(v["name"])
            v["op"] = node.op_type if node is not None else "?"
            v["node"] = node.name if node is not None and node.name else v["name"]
            v["hwc_order"] = v["name"] in hwc_order
        lines = [l for l in run.stdout.splitlines() if not l.startswith("built:")]
        return {"model": os.path.basename(model_path), "sets": len(index["sets"]), "run": lines,
                "run_seconds": run_seconds, "values": values}


def by_operator(values):
    """Per ONNX operator type, in order of first appearance: values, identical / elements, max abs, max rel."""
    ops = {}
    for v in values:
        o = ops.setdefault(v["op"], {"op": v["op"], "values": 0, "identical": 0, "elements": 0, "max_abs": 0.0,
                                     "max_rel": 0.0})
        o["values"] += 1
        o["identical"] += v["identical"]
        o["elements"] += v["elements"]
        o["max_abs"] = max(o["max_abs"], v["max_abs"])
        o["max_rel"] = max(o["max_rel"], v["max_rel"])
    return list(ops.values())


def first_difference(values):
    return next((v for v in values if v["identical"] != v["elements"]), None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("arenaplan")
    ap.add_argument("model")
    ap.add_argument("--random-inputs", type=int, default=2)
    ap.add_argument("--json", help="also write the measurements there")
    args = ap.parse_args()
    r = compare(args.arenaplan, args.model, args.random_inputs)
    print(f"{r['model']}: {r['sets']} input sets, ONNX Runtime (optimisations off); `arenaplan run` "
          f"{r['run_seconds']:.1f} s: {r['run'][-1] if r['run'] else ''}")
    for v in r["values"]:
        print(f"  {'OUTPUT ' if v['output'] else ''}{v['op']:>18} {v['name']}: {v['identical']}/{v['elements']} "
              f"identical, max abs diff {v['max_abs']:.3g}, max rel diff {v['max_rel']:.3g}"
              f"{' (ours in HWC order by design)' if v['hwc_order'] else ''}")
    print("per operator:")
    for o in by_operator(r["values"]):
        print(f"  {o['op']:>18}: {o['values']} values, {o['identical']}/{o['elements']} identical, "
              f"max abs {o['max_abs']:.3g}, max rel {o['max_rel']:.3g}")
    first = first_difference(r["values"])
    print(f"first difference: {first['op']} '{first['node']}'" if first else "every compared value identical")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(r, f, indent=1)


if __name__ == "__main__":
    main()
