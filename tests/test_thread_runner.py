"""thread-safe-counter's thread runner (challenges/thread-safe-counter/
sandbox_fixtures.py) forces the interleaving it promises: a lock-free
counter loses updates and a check-then-act race overshoots on every run,
a locked one never does, and a deadlock is reported at the deadline instead
of hanging the sandbox. Run here in-process, on the reference and mutants."""

from __future__ import annotations

import dis
import importlib.util
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "challenges" / "thread-safe-counter" / "sandbox_fixtures.py"
SOLUTIONS = ROOT / "reference" / "thread-safe-counter"
RUNS = 30


class FakeAgent:
    def __init__(self, workdir: Path):
        self.workdir = str(workdir)
        self.scratch = {}


@pytest.fixture(scope="module")
def fixtures():
    """The fixtures, with before_import's cooperative locks in place (as in
    the sandbox) for this module's tests only."""
    namespace = {"__name__": "grader_fixtures"}
    exec(compile(FIXTURES.read_text(), "<challenge sandbox_fixtures.py>", "exec"), namespace)
    saved = threading.Lock, threading.RLock, threading._allocate_lock
    namespace["before_import"](None)
    try:
        yield namespace["FIXTURES"]
    finally:
        threading.Lock, threading.RLock, threading._allocate_lock = saved


def load(tmp_path: Path, source: Path):
    """The solution imported from its own folder, as the sandbox does: the
    runner traces only code whose file lies in the agent's workdir."""
    folder = tmp_path / source.stem
    folder.mkdir()
    (folder / "solution.py").write_text(source.read_text())
    spec = importlib.util.spec_from_file_location(f"tsc_{source.stem}", folder / "solution.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return FakeAgent(folder), module


def increments(threads=4, calls=8):
    return [[["increment", 1]] * calls for _ in range(threads)]


def assert_loses_updates_on_every_run(fixtures, agent, module, runs=10):
    """4 threads of 8 increments each, ``runs`` times: every run ends below 32."""
    finals = []
    for _ in range(runs):
        counter = module.Counter()
        fixtures["run_threads"](agent, counter, increments(), 1.0)
        finals.append(counter.value)
    assert max(finals) < 32, finals


def test_a_lock_free_counter_loses_updates_on_every_run(fixtures, tmp_path):
    agent, module = load(tmp_path, SOLUTIONS / "mutants" / "no_lock.py")
    finals = []
    for _ in range(RUNS):
        counter = module.Counter()
        fixtures["run_threads"](agent, counter, increments(), 1.0)
        finals.append(counter.value)
    assert max(finals) < 32, finals


def test_the_same_counter_loses_nothing_without_the_runner(tmp_path):  # no fixtures: real locks
    """The runner is what makes the race show: plain threads on CPython 3.11
    switch only every 5 ms, so these few increments all survive."""
    _, module = load(tmp_path, SOLUTIONS / "mutants" / "no_lock.py")
    counter = module.Counter()
    threads = [threading.Thread(target=lambda: [counter.increment(1) for _ in range(8)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counter.value == 32


def test_a_check_outside_the_lock_overshoots_on_every_run(fixtures, tmp_path):
    agent, module = load(tmp_path, SOLUTIONS / "mutants" / "check_outside_the_lock.py")
    for _ in range(RUNS):
        counter = module.Counter()
        report = fixtures["run_threads"](agent, counter, [[["add_if_below", 1, 10]]] * 12, 1.0)
        assert sum(out[1] for thread in report for out in thread) == 12
        assert counter.value == 12


def test_the_reference_is_exact_on_every_run(fixtures, tmp_path):
    agent, module = load(tmp_path, SOLUTIONS / "solution.py")
    mixed = [[["increment", 2], ["decrement", 1000], ["add_if_below", 1, -3000], ["value"]] * 4 for _ in range(6)]
    racing = [[["add_if_below", 1, 3], ["value"]] * 4 for _ in range(6)]
    for _ in range(RUNS):
        for plan in (mixed, racing):
            counter = module.Counter()
            report = fixtures["run_threads"](agent, counter, plan, 1.0)
            assert all(out[0] == "returned" for thread in report for out in thread), report
            wins = [out[1] for thread in report for call, out in zip(plan[0], thread) if call[0] == "add_if_below"]
            assert counter.value == sum(2 - 1000 for call in plan[0] if call[0] == "increment") * 6 + wins.count(True)
            if plan is racing:
                assert wins.count(True) == 3


def test_a_deadlock_is_reported_at_the_deadline(fixtures, tmp_path):
    agent, module = load(tmp_path, SOLUTIONS / "mutants" / "lock_taken_twice.py")
    counter = module.Counter()
    started = time.monotonic()
    report = fixtures["run_threads"](agent, counter, [[["increment"], ["add_if_below", 1, 5], ["increment"]]] * 2,
                                     0.3)
    assert time.monotonic() - started < 2
    assert [out[0] for out in report[0]] == ["returned", "did not return", "not started"]
    assert agent.scratch["left_running"] is True
    assert fixtures["read_value"](agent, counter) is None   # it would wait for the stuck threads' lock


def test_a_plan_is_bounded(fixtures, tmp_path):
    agent, module = load(tmp_path, SOLUTIONS / "solution.py")
    with pytest.raises(ValueError):
        fixtures["run_threads"](agent, module.Counter(), [[["increment"]]] * 13)
    with pytest.raises(ValueError):
        fixtures["run_threads"](agent, module.Counter(), [[["__init__", 5]]])


SEMAPHORE = """
import threading


class Counter:
    def __init__(self, start=0):
        self._value = start
        self._guard = threading.Semaphore(1)
        self._changed = threading.Condition(threading.RLock())

    def increment(self, amount=1):
        with self._guard:
            self._value += amount
        with self._changed:
            self._changed.notify_all()

    def decrement(self, amount=1):
        with self._changed:
            with self._guard:
                self._value -= amount

    def add_if_below(self, amount, limit):
        with self._guard:
            if self._value < limit:
                self._value += amount
                return True
            return False

    @property
    def value(self):
        with self._guard:
            return self._value
"""


def test_semaphores_and_conditions_wait_their_turn_too(fixtures, tmp_path):
    """A Semaphore blocks in Condition.wait on a waiter lock: cooperative as
    well, so a correct counter built on one is exact and quick."""
    source = tmp_path / "semaphore.py"
    source.write_text(SEMAPHORE)
    agent, module = load(tmp_path, source)
    plan = [[["increment", 2], ["add_if_below", 1, 5], ["decrement"], ["value"]] * 3 for _ in range(6)]
    started = time.monotonic()
    for _ in range(10):
        counter = module.Counter()
        report = fixtures["run_threads"](agent, counter, plan, 1.0)
        assert all(out[0] == "returned" for thread in report for out in thread), report
        wins = sum(out[1] is True for thread in report for call, out in zip(plan[0], thread) if call[0] == "add_if_below")
        assert counter.value == 6 * 3 * (2 - 1) + wins
    assert time.monotonic() - started < 5


TIMED = """
import threading


class Counter:
    def __init__(self, start=0):
        self._value = start
        self._lock = threading.Lock()

    def increment(self, amount=1):
        with self._lock:
            self._value += amount

    def add_if_below(self, amount, limit):
        # Takes the Lock again under itself: the timed acquire gives up instead of waiting for ever.
        with self._lock:
            if self._lock.acquire(timeout=0.05):
                self._lock.release()
                return None
            return self._value < limit
"""


def test_a_timed_acquire_gives_up_at_its_timeout(fixtures, tmp_path):
    source = tmp_path / "timed.py"
    source.write_text(TIMED)
    agent, module = load(tmp_path, source)
    report = fixtures["run_threads"](agent, module.Counter(), [[["add_if_below", 1, 5], ["increment"]]] * 2, 1.0)
    assert report == [[["returned", True], ["returned", None]]] * 2
    assert "left_running" not in agent.scratch


# A lost update through each way of reaching shared state: the runner switches threads before every bytecode
# that another thread could see (it skips only local-variable, constant and stack operations), so each of
# these loses updates on every run, as `self._value += amount` does.
SHARED_STATE = {
    "an attribute, spelled out": "self._value = self._value + amount",
    "a list item": "self._cells[0] += amount",
    "a dict item": "self._box['value'] += amount",
    "a module global": "global TOTAL\n        TOTAL += amount",
    "a closure's cell": "self._bump(amount)",
    "a class attribute": "type(self).shared += amount",
}

SHARED_COUNTER = """
TOTAL = 0


class Counter:
    shared = 0

    def __init__(self, start=0):
        global TOTAL
        TOTAL = type(self).shared = start
        self._value = start
        self._cells = [start]
        self._box = {{"value": start}}
        cell = start

        def bump(amount):
            nonlocal cell
            cell += amount
        self._bump = bump
        self._cell = lambda: cell

    def increment(self, amount=1):
        {update}

    @property
    def value(self):
        return {read}
"""

READS = {"an attribute, spelled out": "self._value", "a list item": "self._cells[0]",
         "a dict item": "self._box['value']", "a module global": "TOTAL", "a closure's cell": "self._cell()",
         "a class attribute": "type(self).shared"}


@pytest.mark.parametrize("way", sorted(SHARED_STATE))
def test_every_way_to_shared_state_loses_updates_on_every_run(fixtures, tmp_path, way):
    source = tmp_path / "shared.py"
    source.write_text(SHARED_COUNTER.format(update=SHARED_STATE[way], read=READS[way]))
    agent, module = load(tmp_path, source)
    assert_loses_updates_on_every_run(fixtures, agent, module)


STALE_WAITER = """
import threading
import time

L = threading.Lock()
M = threading.Lock()


class Counter:
    def __init__(self, start=0):
        self._value = start

    def increment(self, amount=1):
        if amount == 1:                     # thread 0: holds M and L, lets L go, then M
            with M:
                with L:
                    time.sleep(0.05)
                time.sleep(0.05)
        elif amount == 2:                   # thread 1: gives up on L, then waits for M
            for _ in range(6):
                pass
            if L.acquire(timeout=0.005):
                L.release()
            with M:
                pass
        else:                               # thread 2: waits for L
            for _ in range(20):
                pass
            with L:
                pass
"""


def test_a_release_wakes_a_thread_that_still_waits_for_that_lock(fixtures, tmp_path):
    """A release wakes one blocked worker. Thread 1 gave up on L (a timed acquire) and now waits for M:
    L's release must skip that stale entry and wake thread 2, which does wait for L; waking thread 1
    instead would leave thread 2 blocked on a free lock until the deadline, a deadlock reported for a
    submission that has none."""
    source = tmp_path / "stale.py"
    source.write_text(STALE_WAITER)
    agent, module = load(tmp_path, source)
    report = fixtures["run_threads"](agent, module.Counter(), [[["increment", 1]], [["increment", 2]],
                                                              [["increment", 3]]], 1.0)
    assert report == [[["returned", None]]] * 3


EXTENDED_ARG_COUNTER = '''
import operator

_VALUE = operator.attrgetter("_value")


class Counter:
    def __init__(self, start=0):
        self._value = start

    def increment(self, amount=1):
        if amount is None:      # never runs: these 300 names come first, so `_value` needs an EXTENDED_ARG
{names}
        self._value = sum(map(_VALUE, (self,)), amount)     # reads and adds inside the call, then stores

    @property
    def value(self):
        return self._value
'''


def test_a_store_behind_an_extended_arg_is_a_switch_point_too(fixtures, tmp_path):
    """CPython 3.11 traces an EXTENDED_ARG but not the bytecode it extends:
    the STORE_ATTR of a name past the 256th is seen only as its (local)
    EXTENDED_ARG. Unless that counts as the store it is, the read (inside
    the call) and the write happen in one turn, and this lock-free counter
    loses nothing."""
    source = tmp_path / "extended.py"
    source.write_text(EXTENDED_ARG_COUNTER.format(names="\n".join(f"            self.n{i}" for i in range(300))))
    agent, module = load(tmp_path, source)
    assert any(ins.opname == "EXTENDED_ARG" for ins in dis.get_instructions(module.Counter.increment))
    assert_loses_updates_on_every_run(fixtures, agent, module)


FIRST_RUNS = """
import importlib.util, sys
namespace = {"__name__": "grader_fixtures"}
exec(compile(open(sys.argv[1]).read(), "<challenge sandbox_fixtures.py>", "exec"), namespace)
namespace["before_import"](None)


class Agent:
    def __init__(self, folder):
        self.workdir, self.scratch = folder, {}


def run(folder, plan, deadline):
    spec = importlib.util.spec_from_file_location("solution", folder + "/solution.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    counter = module.Counter()
    namespace["FIXTURES"]["run_threads"](Agent(folder), counter, plan, deadline)
    return counter


print(run(sys.argv[2], [[["increment", 1]]] * 3, 1.0).value)               # each reads before any writes: 1
run(sys.argv[3], [[["increment"], ["add_if_below", 1, 5]]] * 2, 0.3)     # leaves two threads blocked, traced
print(run(sys.argv[2], [[["increment", 1]] * 12] * 2, 1.0).value)
"""


def test_the_first_runs_of_a_process_interleave_too(tmp_path):  # no fixtures: a fresh interpreter
    """CPython 3.12 (the docker sandbox's Python) sends opcode events only to
    a sys.settrace set after some frame has asked for them: without the
    runner asking first, the first worker of a process's first run ran its
    calls alone. Nor may the asking crash a later run (on 3.12.1, a frame
    that asks and then runs on without a trace function calls a missing one
    while opcode events are on, as they stay after a deadlocked run). And
    3.13 sends a frame's opcode events only from its code's next call
    unless the frame has its trace function when it asks: the first call of
    each method went untraced. Either way three lock-free increments, one
    per thread, ended at 2, not 1. Python 3.11 has none of these rules:
    this guards the 3.12 and 3.13 sandboxes."""
    folders = []
    for name in ("no_lock", "lock_taken_twice"):
        folders.append(tmp_path / name)
        folders[-1].mkdir()
        (folders[-1] / "solution.py").write_text((SOLUTIONS / "mutants" / f"{name}.py").read_text())
    script = tmp_path / "first_runs.py"
    script.write_text(FIRST_RUNS)
    done = subprocess.run([sys.executable, str(script), str(FIXTURES), *map(str, folders)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    first, after_a_deadlock = map(int, done.stdout.split())
    assert (first, after_a_deadlock < 24) == (1, True), done.stdout
