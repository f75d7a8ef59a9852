# The TVM-shaped adapter (arenaplan.tvm) on TVM USMP's own cases (tests/data/tvm, see its NOTICE):
# buffer and pool infos built as TVM builds them, every value TVM's tests assert reproduced.
import json

import pytest

import arenaplan
import arenaplan.tvm

CASES = ["tvm_algo_linear", "tvm_algo_mobilenet_subgraph", "tvm_algo_name_based_ordering", "tvm_algo_no_pool_error",
         "tvm_algo_resnet_subgraph", "tvm_convert_merge_allocations", "tvm_hill_climb_bounded_150",
         "tvm_hill_climb_intervals_alloc_max", "tvm_hill_climb_intervals_five", "tvm_hill_climb_intervals_simple",
         "tvm_hill_climb_random_intervals_16"]


class Info:
    """A TVM object's stand-in: attributes, hashed by identity (as TVM's objects are)."""

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def __repr__(self):  # conflicts form cycles: name the object only
        return f"Info({getattr(self, 'name_hint', None) or getattr(self, 'pool_name', None)})"


def tvm_infos(case):
    """TVM's objects: PoolInfo(pool_name, size_hint_bytes), BufferInfo(name_hint, size_bytes, alignment,
    pool_candidates=[PoolInfo], conflicts=[BufferInfo])."""
    pools = {p["name"]: Info(pool_name=p["name"], size_hint_bytes=p.get("size_hint_bytes"))
             for p in case["pools"]}
    buffers = {b["name"]: Info(name_hint=b["name"], size_bytes=b["size_bytes"],
                                                alignment=b.get("alignment", 1),
                                                pool_candidates=[pools[n] for n in b["pool_candidates"]],
                                                conflicts=[])
               for b in case["buffers"]}
    for b in case["buffers"]:
        buffers[b["name"]].conflicts = [buffers[n] for n in b["conflicts"]]
    return list(buffers.values())


def pool_sizes(allocations):
    sizes = {}
    for info, (pool, offset) in allocations.items():
        sizes[pool.pool_name] = max(sizes.get(pool.pool_name, 0), offset + info.size_bytes)
    return sizes


def checked(case, infos, allocations):
    """No two conflicting buffers overlap in one pool; every offset aligned; every pool within its hint."""
    for info, (pool, offset) in allocations.items():
        assert offset % info.alignment == 0 and pool in info.pool_candidates
        for other in info.conflicts:
            other_pool, other_offset = allocations[other]
            if other_pool is pool:
                assert offset + info.size_bytes <= other_offset or other_offset + other.size_bytes <= offset
    for pool in {p.pool_name: p for i in infos for p in i.pool_candidates}.values():
        if pool.size_hint_bytes is not None:
            assert pool_sizes(allocations).get(pool.pool_name, 0) <= pool.size_hint_bytes
    assert set(allocations) == set(infos)


@pytest.mark.parametrize("name", CASES)
def test_every_value_tvm_asserts(data, name):
    case = json.loads((data / "tvm" / f"{name}.json").read_text())
    infos = tvm_infos(case)
    by_name = {i.name_hint: i for i in infos}
    for algorithm, expected in case["expected"].items():
        fn = arenaplan.tvm.algorithm(algorithm, time_limit=2.0)
        if isinstance(expected, dict) and "error" in expected:
            with pytest.raises(arenaplan.NoSolution):
                fn(infos, case["algorithm_memory_pressure_arg"])
            continue
        allocations = fn(infos, case["algorithm_memory_pressure_arg"])
        checked(case, infos, allocations)
        sizes = pool_sizes(allocations)
        if isinstance(expected, int):
            assert sum(sizes.values()) == expected, algorithm
            continue
        for key, value in expected.items():
            if key == "offsets":
                for buffer, where in value.items():
                    pool, offset = allocations[by_name[buffer]]
                    if isinstance(where, list):
                        assert (pool.pool_name, offset) == tuple(where), (algorithm, buffer)
                    else:
                        assert offset == where, (algorithm, buffer)
            elif key == "pool_size_bytes":
                assert sum(sizes.values()) == value, algorithm
            elif key == "peak_memory_bytes":
                assert arenaplan.tvm.lower_bound(infos) == value  # TVM's memory pressure is our lower bound
            elif key == "assertion":
                if "100*(pool_size-peak)/peak < 5" in value:
                    peak = expected["peak_memory_bytes"]
                    assert 100 * (sum(sizes.values()) - peak) // peak < 5, algorithm
            else:
                assert sizes.get(key, 0) == value, (algorithm, key)


def test_allocation_objects_and_auto(data):
    case = json.loads((data / "tvm" / "tvm_algo_linear.json").read_text())
    objects = tvm_infos(case)
    made = arenaplan.tvm.plan(objects, algorithm="auto", make_allocation=lambda pool, offset: ("alloc", offset))
    assert all(value[0] == "alloc" for value in made.values())
    best = arenaplan.tvm.plan(objects, algorithm="auto")
    assert sum(pool_sizes(best).values()) == arenaplan.tvm.lower_bound(objects) == 140


def test_shared_name_hints_stay_apart():
    pool = Info(pool_name="ws", size_hint_bytes=-1)  # TVM's "unlimited"
    a = Info(name_hint="x", size_bytes=8, alignment=4, pool_candidates=[pool], conflicts=[])
    b = Info(name_hint="x", size_bytes=8, alignment=4, pool_candidates=[pool], conflicts=[a])
    a.conflicts = [b]
    allocations = arenaplan.tvm.plan([a, b], algorithm="greedy_by_size")
    assert sorted(offset for _, offset in allocations.values()) == [0, 8]
    assert all(p is pool for p, _ in allocations.values())
