#!/usr/bin/env python3
"""The README's ONNX table, measured: per model, its ONNX operators, the arena with the arenaplan
kernels in file order and in the chosen order, the lower bound, what `arenaplan run` found and how
far the outputs are from ONNX Runtime.

  /usr/bin/python3 tools/onnx_oracle/onnx_table.py build/arenaplan MODEL.onnx|DIR... [--random-inputs N]
                   [--json-dir DIR [--reuse-json]]

Arena and bound: `arenaplan plan MODEL --kernels arenaplan --schedule file|memory --no-timing` (its
"arena N bytes, lower bound M bytes" line; the default time limit, 5 s, as a work limit: the same
bytes on any machine). Run and agreement: compare_onnx.py
(`arenaplan run --save-io --trace`, then ONNX Runtime on the same inputs). Needs what compare_onnx.py
needs; a measuring tool outside the product.
"""
import argparse
import json
import os
import re
import subprocess
import sys

import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_onnx  # noqa: E402


def plan(arenaplan, model, schedule):
    r = subprocess.run([arenaplan, "plan", model, "--kernels", "arenaplan", "--schedule", schedule, "--no-timing"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None, None, r.stderr.strip().splitlines()[-1] if r.stderr.strip() else f"exit {r.returncode}"
    m = re.search(r"^arena (\d+) bytes, lower bound (\d+) bytes", r.stdout, re.M)
    s = re.search(r"^schedule:\s+(.*)$", r.stdout, re.M)
    return int(m.group(1)), int(m.group(2)), s.group(1) if s else ""


def operators(model):
    seen = []
    for node in onnx.load(model).graph.node:
        if node.op_type not in seen and node.op_type not in ("Constant", "ConstantOfShape"):
            seen.append(node.op_type)
    return seen


def agreement(r):
    outputs = [v for v in r["values"] if v["output"]]
    same = sum(v["identical"] for v in outputs)
    total = sum(v["elements"] for v in outputs)
    text = f"outputs {same}/{total} identical, max rel {max((v['max_rel'] for v in outputs), default=0):.1e}"
    ops = [o for o in compare_onnx.by_operator(r["values"]) if o["identical"] != o["elements"]]
    if ops:
        text += "; per operator (max rel): " + ", ".join(f"{o['op']} {o['max_rel']:.1e}" for o in ops)
    exact = [o["op"] for o in compare_onnx.by_operator(r["values"]) if o["identical"] == o["elements"]]
    if exact:
        text += "; identical: " + ", ".join(exact)
    first = compare_onnx.first_difference(r["values"])
    if first:
        text += f"; first difference at {first['op']} '{first['node']}'"
    return text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("arenaplan")
    ap.add_argument("models", nargs="+")
    ap.add_argument("--random-inputs", type=int, default=2)
    ap.add_argument("--json-dir", help="also write each model's per-value measurements there (MODEL.json)")
    ap.add_argument("--reuse-json", action="store_true",
                    help="take the run and ONNX Runtime columns from --json-dir's files where they exist")
    args = ap.parse_args()
    models = []
    for m in args.models:
        if os.path.isdir(m):
            models += sorted(os.path.join(m, f) for f in os.listdir(m) if f.endswith(".onnx"))
        else:
            models.append(m)
    print("| model | ONNX operators | arena, file order / chosen order (bytes) | lower bound (bytes) | schedule | "
          "`run` | ONNX Runtime agreement |\n|---|---|--:|--:|---|---|---|", flush=True)
    for m in models:
        name = os.path.basename(m)[:-len(".onnx")]
        file_arena, _, error = plan(args.arenaplan, m, "file")
        if file_arena is None:
            print(f"| {name} | {', '.join(operators(m))} | not planned: {error} | | | | |", flush=True)
            continue
        chosen_arena, bound, schedule = plan(args.arenaplan, m, "memory")
        saved = os.path.join(args.json_dir or "", name + ".json")
        if args.reuse_json and args.json_dir and os.path.exists(saved):
            r = json.load(open(saved))
        else:
            r = compare_onnx.compare(args.arenaplan, m, args.random_inputs)
        if args.json_dir:
            os.makedirs(args.json_dir, exist_ok=True)
            with open(os.path.join(args.json_dir, name + ".json"), "w") as f:
                json.dump(r, f, indent=1)
        run = f"{r['run'][-1]} ({r['run_seconds']:.0f} s)"
        print(f"| {name} | {', '.join(operators(m))} | {file_arena:,} / {chosen_arena:,} | {bound:,} | {schedule} | "
              f"{run} | {agreement(r)} |", flush=True)


if __name__ == "__main__":
    main()
