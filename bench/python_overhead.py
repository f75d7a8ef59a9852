#!/usr/bin/env python3
"""What a solve costs through Python over the C++ call, in the same run.

    PYTHONPATH=build/python /usr/bin/python3 bench/python_overhead.py build/bench/bench_solve_call \\
        ../shared/benchmarks/dsa/idealloc/iopddl_S_1.csv [--algorithm first_fit_by_first_use] [--repeats 5]

The problem is read once on each side; calls alternate between C++ (bench_solve_call, one process
that solves REPEATS times) and Python (arenaplan.solve), so machine load hits both alike. Also
reported: building the same problem buffer by buffer from Python (Problem.add_buffer)."""
import argparse
import statistics
import subprocess
import time

import arenaplan


def cpp_times(binary, path, algorithm, repeats, time_limit):
    out = subprocess.run([binary, path, algorithm, str(repeats), str(time_limit)], check=True, capture_output=True,
                         text=True).stdout.split("\n")
    runs = [line.split() for line in out if line]
    return [float(seconds) for seconds, _ in runs], int(runs[0][1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("problem")
    parser.add_argument("--algorithm", default="first_fit_by_first_use")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=5.0)
    args = parser.parse_args()

    problem = arenaplan.read_problem(args.problem)
    cpp, python, sizes = [], [], set()
    for _ in range(args.repeats):  # alternate: one C++ call, one Python call
        seconds, cpp_bytes = cpp_times(args.binary, args.problem, args.algorithm, 1, args.time_limit)
        cpp += seconds
        start = time.perf_counter()
        plan = arenaplan.solve(problem, algorithm=args.algorithm, time_limit=args.time_limit)
        python.append(time.perf_counter() - start)
        sizes |= {cpp_bytes, plan.total_bytes}  # one value for deterministic algorithms

    start = time.perf_counter()
    built = arenaplan.Problem()
    for b in problem.buffers:
        built.add_buffer(b.name, b.size, alignment=b.alignment, live=b.live)
    built.validate()
    build_seconds = time.perf_counter() - start

    c, p = statistics.median(cpp), statistics.median(python)
    print(f"{args.problem}: {len(problem)} buffers, {args.algorithm}, {args.repeats} runs each, "
          f"bytes {', '.join(map(str, sorted(sizes)))}")
    print(f"  C++ solve()        median {c:.3f} s  (runs: {', '.join(f'{t:.3f}' for t in cpp)})")
    print(f"  Python solve()     median {p:.3f} s  (runs: {', '.join(f'{t:.3f}' for t in python)})")
    print(f"  overhead           {100 * (p - c) / c:+.1f} %")
    print(f"  building the problem from Python, buffer by buffer: {build_seconds:.3f} s")


if __name__ == "__main__":
    main()
