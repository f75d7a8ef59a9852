# Ctrl-C during a Python solve stops the search and returns the best plan, as the command line does.
import os
import signal
import subprocess
import sys
import time

SCRIPT = r"""
import sys, time, arenaplan
p = arenaplan.Problem()
for i in range(1001):  # an odd cycle of conflicts: the search never meets its lower bound
    p.add_buffer(f"b{i}", 16, conflicts=[(i + 1) % 1001])
print("solving", flush=True)
start = time.monotonic()
plan = arenaplan.solve(p, algorithm="local_search", time_limit=60.0)
print(f"{plan.interrupted} {arenaplan.check(p, plan)} {time.monotonic() - start:.2f}", flush=True)
try:
    time.sleep(30)  # Python's own Ctrl-C handling is back
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
"""


def test_ctrl_c_returns_the_best_plan_and_restores_python_handling():
    child = subprocess.Popen([sys.executable, "-c", SCRIPT],
                             stdout=subprocess.PIPE, text=True, env=os.environ)
    try:
        assert child.stdout.readline().strip() == "solving"
        time.sleep(1.0)
        child.send_signal(signal.SIGINT)
        interrupted, violation, seconds = child.stdout.readline().split()
        assert (interrupted, violation) == ("True", "None")
        assert 0.9 <= float(seconds) < 30.0
        time.sleep(0.3)
        child.send_signal(signal.SIGINT)
        assert child.stdout.readline().strip() == "KeyboardInterrupt"
        assert child.wait(timeout=30) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
