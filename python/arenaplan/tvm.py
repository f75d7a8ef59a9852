"""An adapter with the shape of TVM USMP's memory planning algorithms.

TVM calls an algorithm with its buffer infos (name_hint, size_bytes, alignment, pool_candidates,
conflicts) and a memory pressure, and takes back {buffer info: pool allocation}. `plan` does the
same with arenaplan's solver; `algorithm(name)` makes a function of TVM's signature, e.g.

    import arenaplan.tvm, tvm
    fn = arenaplan.tvm.algorithm("auto", make_allocation=tvm.tir.usmp.PoolAllocation)
    tvm.register_func("tir.usmp.algo.arenaplan", fn)

Buffer infos are TVM objects or any hashable objects with those attributes; pool infos may also be dicts.
Pools are told apart by pool_name; a size_hint_bytes of None or -1 is unlimited.
"""
import collections

from . import NoSolution, Problem, lower_bound as _lower_bound, solve

__all__ = ["NoSolution", "algorithm", "lower_bound", "plan", "problem_of"]


def _field(info, name):
    if isinstance(info, dict):
        return info[name]
    return getattr(info, name)


def _limit(pool):
    size = _field(pool, "size_hint_bytes")
    return None if size is None or int(size) < 0 else int(size)


def problem_of(buffer_infos):
    """The arenaplan Problem for TVM buffer infos, the pool infos in pool order, and the buffer names.

    Buffers are named by name_hint (TVM's algorithms break ties by name), made unique with
    "#position" where two share one; conflicts must refer to buffer infos in the list."""
    buffer_infos = list(buffer_infos)
    hints = [str(_field(b, "name_hint")) for b in buffer_infos]
    counts = collections.Counter(hints)
    names = [h if counts[h] == 1 else f"{h}#{i}" for i, h in enumerate(hints)]
    position = {id(b): i for i, b in enumerate(buffer_infos)}
    problem, pools, pool_index = Problem(), [], {}
    for b in buffer_infos:
        for pool in _field(b, "pool_candidates"):
            name = str(_field(pool, "pool_name"))
            if name not in pool_index:
                pool_index[name] = problem.add_pool(name, limit=_limit(pool))
                pools.append(pool)
    for i, b in enumerate(buffer_infos):
        conflicts = []
        for other in _field(b, "conflicts"):
            if id(other) not in position:
                raise ValueError(f"buffer info {i} ({_field(b, 'name_hint')}): a conflict is not in the list")
            conflicts.append(position[id(other)])
        problem.add_buffer(names[i], int(_field(b, "size_bytes")), alignment=max(1, int(_field(b, "alignment"))),
                           conflicts=conflicts,
                           pools=[pool_index[str(_field(p, "pool_name"))] for p in _field(b, "pool_candidates")])
    return problem, pools, names


def plan(buffer_infos, memory_pressure=0, algorithm="auto", time_limit=5.0, seed=0, make_allocation=None):
    """{buffer info: (pool info, offset)} (or make_allocation(pool info, offset)) for TVM buffer infos.

    memory_pressure is TVM's argument and unused: arenaplan computes its own lower bound.
    algorithm: any of arenaplan.algorithms() (greedy_by_size, greedy_by_conflicts and hill_climb
    follow TVM's rules). Raises arenaplan.NoSolution when the pools are too small."""
    del memory_pressure
    buffer_infos = list(buffer_infos)
    problem, pools, names = problem_of(buffer_infos)
    result = solve(problem, algorithm=algorithm, time_limit=time_limit, seed=seed)
    by_name = {str(_field(p, "pool_name")): p for p in pools}
    allocations = {}
    for i, b in enumerate(buffer_infos):
        pool, offset = result[names[i]]
        pool_info = by_name[pool]
        allocations[b] = make_allocation(pool_info, offset) if make_allocation else (pool_info, offset)
    return allocations


def algorithm(name="auto", time_limit=5.0, seed=0, make_allocation=None):
    """A function fn(buffer_infos, memory_pressure) -> {buffer info: allocation}, TVM's algorithm signature."""
    def run(buffer_infos, memory_pressure=0):
        return plan(buffer_infos, memory_pressure, algorithm=name, time_limit=time_limit, seed=seed,
                    make_allocation=make_allocation)
    run.__name__ = f"arenaplan_{name}"
    return run


def lower_bound(buffer_infos):
    """The bytes every valid plan needs (TVM's memory pressure, for conflict lists)."""
    return _lower_bound(problem_of(buffer_infos)[0])

