"""arenaplan: static memory planning for ML inference on small devices.

    import arenaplan
    p = arenaplan.Problem()
    p.add_pool("sram", limit=65536, alignment=16)
    p.add_buffer("a", 100, live=[(0, 3)])
    p.add_buffer("b", 200, live=[(2, 5)])
    plan = arenaplan.solve(p, time_limit=1.0)
    plan["a"]  # ('sram', offset)
"""
import json

from ._arenaplan import (Buffer, Error, InputError, InvalidPlan, NoSolution, Plan, Pool, Problem, __version__,
                         algorithms, check, lower_bound, read_plan, read_problem, register_algorithm, solve)
from ._arenaplan import _plan_model_json

__all__ = ["Buffer", "Error", "InputError", "InvalidPlan", "NoSolution", "Plan", "Pool", "Problem", "__version__",
           "algorithms", "check", "lower_bound", "plan_model", "plan_model_json", "problem_json", "read_plan",
           "read_problem", "register_algorithm", "solve", "write_problem"]


def plan_model_json(path, pools=None, kernels="reference", place=None, compat=None, io_in_arena=True,
                    persistent_pool=False, alias_reshapes=True, algorithm="auto", time_limit=5.0, seed=0,
                    timing=True):
    """Plans a .tflite model as `arenaplan plan MODEL --format json` does and returns that JSON text.

    pools: pool specs as --pool takes them, in priority order ("dtcm:size=64K,align=16");
    place: PATTERN=POOL rules as --place; compat: None or "tflm"; timing=False writes
    solve_seconds as 0 (as --no-timing), so that the text depends only on the inputs."""
    return _plan_model_json(str(path), list(pools or []), list(place or []), kernels, compat, io_in_arena,
                            persistent_pool, alias_reshapes, algorithm, time_limit, seed, timing)


def plan_model(path, pools=None, kernels="reference", **options):
    """plan_model_json(...) as Python data: the plan JSON's dict (algorithm, pools, buffers, ...)."""
    return json.loads(plan_model_json(path, pools=pools, kernels=kernels, **options))


def problem_json(problem):
    """The problem as problem JSON text (the format `arenaplan solve` reads)."""
    pools = [{"name": p.name, "size_hint_bytes": p.limit, "alignment": p.alignment, "kind": p.kind}
             for p in problem.pools]
    names = [b.name for b in problem.buffers]
    buffers = []
    for b in problem.buffers:
        entry = {"name": b.name, "size_bytes": b.size, "alignment": b.alignment, "kind": b.kind,
                 "pool_candidates": [pools[i]["name"] for i in b.pools]}
        if b.live:
            entry["live"] = [list(r) for r in b.live]
        if b.conflicts:
            entry["conflicts"] = [names[i] for i in b.conflicts]
        if b.overlaps:
            entry["overlaps"] = [{"with": names[i], "distance": d} for i, d in b.overlaps]
        if b.fixed_offset is not None:
            entry["fixed_offset"] = b.fixed_offset
        buffers.append(entry)
    return json.dumps({"pools": pools, "buffers": buffers}, indent=1) + "\n"


def write_problem(problem, path):
    """Writes the problem JSON file (read back with read_problem)."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(problem_json(problem))
