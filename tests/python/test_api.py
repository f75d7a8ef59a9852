# The Python module: problems, solving, plans, checking, files, registered algorithms.
import subprocess
import threading
import time

import pytest

import arenaplan


def three_buffers():
    p = arenaplan.Problem()
    assert p.add_pool("sram", alignment=16) == 0
    assert p.add_buffer("a", 96, alignment=16, live=[(0, 2)]) == 0
    assert p.add_buffer("b", 192, alignment=16, live=[(1, 3)]) == 1
    assert p.add_buffer("c", 288, alignment=16, live=[(3, 4)], kind="scratch") == 2
    return p


def test_solve_reads_offsets_pool_sizes_and_optimality():
    p = three_buffers()
    plan = arenaplan.solve(p, time_limit=1.0)
    assert plan.total_bytes == 288 and plan.lower_bound == 288 and plan.optimal
    assert plan.pool_sizes == {"sram": 288}
    (pool_a, a), (pool_b, b) = plan["a"], plan["b"]
    assert pool_a == pool_b == "sram"
    assert a + 96 <= b or b + 192 <= a  # live at the same time: disjoint
    assert a % 16 == 0 and plan.offset("a") == a
    assert set(plan.placements) == {"a", "b", "c"}
    assert arenaplan.check(p, plan) is None
    assert arenaplan.lower_bound(p) == 288
    assert not plan.interrupted
    with pytest.raises(KeyError):
        plan["nope"]


def test_options_algorithm_seed_and_capacity():
    p = three_buffers()
    plan = arenaplan.solve(p, algorithm="greedy_by_size", seed=3)
    assert plan.algorithm == "greedy_by_size"
    with pytest.raises(arenaplan.NoSolution, match="sram"):
        arenaplan.solve(p, capacity=287)
    with pytest.raises(arenaplan.InputError, match="unknown algorithm 'nope'"):
        arenaplan.solve(p, algorithm="nope")
    assert "exact" in arenaplan.algorithms() and "auto" in arenaplan.algorithms()


def test_conflicts_candidate_pools_fixed_offsets_by_name():
    p = arenaplan.Problem()
    p.add_pool("fast", limit=64)
    p.add_pool("slow")
    p.add_buffer("x", 48, conflicts=["y"], pools=["fast", "slow"])  # y is defined later
    p.add_buffer("y", 48, pools=["fast", "slow"], fixed_offset=0)
    p.add_buffer("k", 10, kind="constant")  # no constant pool named: a default one is made
    assert [pool.name for pool in p.pools] == ["fast", "slow", "global_constants"]
    assert p.buffers[1].conflicts == [0]  # made symmetric
    plan = arenaplan.solve(p)
    assert plan["y"] == ("fast", 0)
    assert plan["x"][0] == "slow"  # 48 + 48 > 64
    assert plan["k"] == ("global_constants", 0)


def test_overlap_allowances():
    sizes = {}
    for overlaps in ([], [("x", 0)]):
        p = arenaplan.Problem()
        p.add_buffer("x", 64, live=[(0, 2)])
        p.add_buffer("y", 64, live=[(1, 3)], overlaps=overlaps)
        sizes[bool(overlaps)] = arenaplan.solve(p).total_bytes
        if overlaps:
            assert p.buffers[1].overlaps == [(0, 0)]
            assert '"overlaps": [' in arenaplan.problem_json(p)
    assert sizes == {False: 128, True: 64}


def test_bad_input_is_one_clear_error():
    p = arenaplan.Problem()
    p.add_buffer("a", 8, conflicts=["ghost"])
    with pytest.raises(arenaplan.InputError, match=r"buffers\[0\] \('a'\).conflicts: unknown buffer 'ghost'"):
        arenaplan.solve(p)
    with pytest.raises(arenaplan.InputError, match="unknown kind 'huge'"):
        p.add_pool("x", kind="huge")
    q = arenaplan.Problem()
    q.add_buffer("a", -5)
    with pytest.raises(arenaplan.InputError, match="size -5 is out of range"):
        q.validate()
    assert issubclass(arenaplan.InputError, arenaplan.Error)


def test_problem_and_plan_files_round_trip(tmp_path, data, cli):
    p = arenaplan.read_problem(str(data / "tvm" / "tvm_algo_linear.json"))
    assert len(p) == 6
    plan = arenaplan.solve(p, algorithm="greedy_by_size")
    assert plan.total_bytes == 140  # TVM's value
    plan.write(str(tmp_path / "plan.json"), timing=False)
    again = arenaplan.read_plan(p, str(tmp_path / "plan.json"))
    assert again.placements == plan.placements
    assert plan.to_json(timing=False) == (tmp_path / "plan.json").read_text()
    # The problem file we write is one the command line reads and accepts this plan for.
    arenaplan.write_problem(p, str(tmp_path / "problem.json"))
    assert len(arenaplan.read_problem(str(tmp_path / "problem.json"))) == 6
    subprocess.run([cli, "check", str(tmp_path / "problem.json"), str(tmp_path / "plan.json")], check=True,
                   capture_output=True)


def test_a_plan_of_your_own_is_checked():
    p = three_buffers()
    good = arenaplan.Plan(p, [0, 96, 0])
    assert arenaplan.check(p, good) is None and good.total_bytes == 288
    overlapping = arenaplan.Plan(p, {"a": ("sram", 0), "b": ("sram", 80), "c": 0})
    assert "'a'" in arenaplan.check(p, overlapping)
    assert arenaplan.check(p, arenaplan.Plan(p, {"a": 0})) is not None  # b and c unplaced


def test_registered_python_algorithm_goes_through_the_checker():
    calls = []

    def stack(problem):  # valid: every buffer above the previous one
        calls.append(len(problem))
        top, out = 0, []
        for b in problem.buffers:
            top = (top + b.alignment - 1) // b.alignment * b.alignment
            out.append((b.pools[0], top))
            top += b.size
        return out

    arenaplan.register_algorithm("py_stack", stack, "stacks every buffer")
    assert arenaplan.algorithms()["py_stack"] == "stacks every buffer"
    plan = arenaplan.solve(three_buffers(), algorithm="py_stack")
    assert calls == [3] and plan.algorithm == "py_stack" and plan.total_bytes == 576

    arenaplan.register_algorithm("py_all_at_zero", lambda problem: [0] * len(problem))
    with pytest.raises(arenaplan.InvalidPlan, match="algorithm 'py_all_at_zero' produced an invalid plan"):
        arenaplan.solve(three_buffers(), algorithm="py_all_at_zero")

    arenaplan.register_algorithm("py_wrong_count", lambda problem: [0])
    with pytest.raises(arenaplan.InputError, match="1 placements for 3 buffers"):
        arenaplan.solve(three_buffers(), algorithm="py_wrong_count")

    def raises(problem):
        raise RuntimeError("my algorithm broke")

    arenaplan.register_algorithm("py_raises", raises)
    with pytest.raises(RuntimeError, match="my algorithm broke"):
        arenaplan.solve(three_buffers(), algorithm="py_raises")


def odd_cycle(n=20001):  # large enough that the evaluation budget outlasts the time limit
    """Conflicts in an odd cycle: the lower bound (32) is never met, so searches run to their deadline."""
    p = arenaplan.Problem()
    for i in range(n):
        p.add_buffer(f"b{i}", 16, conflicts=[(i + 1) % n])
    return p


def test_the_gil_is_released_while_solving():
    p = odd_cycle()
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    thread = threading.Thread(target=tick)
    thread.start()
    start = time.monotonic()
    try:
        plan = arenaplan.solve(p, algorithm="local_search", time_limit=1.0)
    finally:
        done.set()
        thread.join()
    assert arenaplan.check(p, plan) is None
    assert plan.solve_seconds >= 0.1, "the search ended too early: the test proves nothing"
    during = [t for t in ticks if start + 0.02 < t < start + plan.solve_seconds - 0.02]
    # With the GIL held for the whole solve the other thread could not tick at all inside it; a
    # loaded machine wakes it late, so only a few of its ~100 ticks are required.
    assert len(during) >= 5, f"the other thread ran {len(during)} times during the solve"
