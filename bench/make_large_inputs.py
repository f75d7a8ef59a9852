#!/usr/bin/env python3
"""Writes the large inputs of the time-limit benchmark (bench/README-style table in README.md):
  conflicts_2m.json   40,000 buffers joined by ~2 M explicit conflict entries (random graph)
  intervals_200k.csv  200,000 interval buffers (MiniMalloc CSV), ~64 live at any step
  chain_1m3.csv       a 1.3 M-buffer chain: buffer i lives [i, i+2)
  guillotine(path, n) a zero-waste packing: a 1 MiB x 65,536-step rectangle cut into n pieces
                      (bench/zero_waste.sh; the optimum is exactly 1 MiB)
Usage: bench/make_large_inputs.py OUT_DIR   (deterministic: fixed seeds)"""
import json
import os
import random
import sys


def conflicts(path, n=40000, per_buffer=50):
    rng = random.Random(1)
    buffers = []
    for i in range(n):
        others = {rng.randrange(n) for _ in range(per_buffer)} - {i}
        buffers.append({"name": f"b{i}", "size_bytes": 16 * rng.randint(1, 1024), "alignment": 16,
                        "conflicts": [f"b{j}" for j in sorted(others)]})
    with open(path, "w") as f:
        json.dump({"pools": [{"name": "sram"}], "buffers": buffers}, f)


def intervals(path, n=200000):
    rng = random.Random(2)
    span = n // 4
    with open(path, "w") as f:
        f.write("id,lower,upper,size\n")
        for i in range(n):
            first = rng.randrange(span)
            f.write(f"{i},{first},{first + 1 + rng.randrange(31)},{16 * rng.randint(1, 1024)}\n")


def chain(path, n=1300000):
    rng = random.Random(3)
    with open(path, "w") as f:
        f.write("id,lower,upper,size\n")
        for i in range(n):
            f.write(f"{i},{i},{i + 2},{16 * rng.randint(1, 64)}\n")


def guillotine(path, n, seed=0):
    """Cuts the rectangle (address 1 MiB in 1 KiB units, time 65,536 steps) n - 1 times: each
    cut splits a piece chosen with probability in proportion to its area, across its longer side
    (in units of the rectangle's sides) at a uniform position. Every piece is a buffer (size x
    lifetime); together they tile the rectangle, so a packing in 1 MiB exists and has no gap."""
    rng = random.Random(seed)
    pieces = [(0, 1024, 0, 65536)]  # (address, height in KiB, first step, length in steps)
    while len(pieces) < n:
        weights = [h * t for _, h, _, t in pieces]
        k = rng.choices(range(len(pieces)), weights)[0]
        a, h, f, t = pieces[k]
        if h / 1024 >= t / 65536 and h > 1:
            cut = rng.randrange(1, h)
            pieces[k:k + 1] = [(a, cut, f, t), (a + cut, h - cut, f, t)]
        elif t > 1:
            cut = rng.randrange(1, t)
            pieces[k:k + 1] = [(a, h, f, cut), (a, h, f + cut, t - cut)]
    pieces.sort(key=lambda p: (p[2], p[0]))
    with open(path, "w") as out:
        out.write("id,lower,upper,size\n")
        for i, (_, h, f, t) in enumerate(pieces):
            out.write(f"{i},{f},{f + t},{1024 * h}\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    conflicts(os.path.join(out, "conflicts_2m.json"))
    intervals(os.path.join(out, "intervals_200k.csv"))
    chain(os.path.join(out, "chain_1m3.csv"))


if __name__ == "__main__":
    main()
