"""Hostile submissions against what the grader believes (issue: integrity).

Each test is a candidate who controls the sandbox's process: it can answer
wrongly only where the hidden tests do not look, replace the agent's
handlers, tell the benchmark workload from a test, shadow a standard module,
fake or reset its memory measurement, or break a rule and hope the score
ignores it. None of it may pass, earn full marks or look fast.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.catalog import Catalog
from grader.cli.main import cli
from grader.complexity import measure
from grader.complexity.spec import Operation
from grader.grading import LARGE_INPUTS_TEST, GradeOptions, grade
from grader.report import gradescope
from grader.sandbox.process import ProcessBackend
from tests.conftest import call_in, isolates, start_sandbox

BUILTIN = Catalog()
QUICK = GradeOptions(seed=0, max_examples=10)


def _grade(write_submission, slug: str, source: str, backend=None, **files) -> dict:
    folder = write_submission(source, **files)
    return grade(folder, BUILTIN.get(slug), backend or ProcessBackend(), QUICK).to_dict()


def _test(report: dict, name: str) -> dict:
    [test] = [t for t in report["correctness"]["tests"] if t["name"] == name]
    return test


def _assert_caught_at_scale(report: dict, *words: str) -> None:
    large = _test(report, LARGE_INPUTS_TEST)
    assert report["verdict"] == "fail", report["message"]
    assert large["status"] == "fail", large
    for word in words:
        assert word in large["message"], large["message"]
    # No complexity points without right answers.
    assert report["score"] <= dict(report["points"])["correctness"] + 1e-9


# The slow mutant's all-pairs scan, renamed so each hostile variant below can wrap it.
ALL_PAIRS = (Path(__file__).parents[1] / "reference/pair-sum/mutants/slow_all_pairs.py").read_text(
    encoding="utf-8").replace("def find_pairs(", "def _all_pairs(")

BRUTE_FORCE_PAIRS_BELOW_64 = ALL_PAIRS + """
def find_pairs(arr, target):
    return [] if len(arr) > 64 else _all_pairs(arr, target)
"""


def test_an_answer_that_is_wrong_only_on_large_inputs_fails_correctness(write_submission):
    report = _grade(write_submission, "pair-sum", BRUTE_FORCE_PAIRS_BELOW_64)
    _assert_caught_at_scale(report, "wrong answer on large inputs: find_pairs at len(arr)=500")
    assert not [c for c in report["complexity"] if c["operation"] == "find_pairs"], \
        "a wrong answer is never a complexity verdict"


RECURSIVE_REVERSE = """
def reverse_string(s):
    if len(s) <= 1:
        return s
    return reverse_string(s[1:]) + s[0]
"""


def test_a_recursion_error_at_benchmark_size_is_a_correctness_failure_not_slower(write_submission):
    report = _grade(write_submission, "reverse-string", RECURSIVE_REVERSE)
    _assert_caught_at_scale(report, "RecursionError", "len(s)=1,000")
    assert all(c["verdict"] != "slower" for c in report["complexity"])


SLOW_PAIRS = ALL_PAIRS + """
find_pairs = _all_pairs
"""

REPLACES_THE_AGENT_HANDLERS = SLOW_PAIRS + """
import sys
_agent = sys.modules.get("__main__")
if not hasattr(_agent, "Agent"):
    _agent = sys.modules["grader_agent"]
_agent.Agent.op_bench_setup = lambda self, request: {"ok": True}
_agent.Agent.op_bench_run = lambda self, request: {"ok": True}
"""

TELLS_THE_WORKLOAD_FROM_A_TEST = ALL_PAIRS + """
import sys

def find_pairs(arr, target):
    if sys._getframe(1).f_globals.get("__name__") == "grader_workload":
        return []
    return _all_pairs(arr, target)
"""


@pytest.mark.parametrize("source, words", [
    (REPLACES_THE_AGENT_HANDLERS, ["raised", "inputs were being set up"]),
    (TELLS_THE_WORKLOAD_FROM_A_TEST, ["find_pairs at len(arr)=500"]),
], ids=["replaced-handlers", "frame-check"])
def test_forging_the_benchmark_never_makes_slow_code_meet_its_bound(write_submission, source, words):
    report = _grade(write_submission, "pair-sum", source)
    assert report["verdict"] != "pass"
    assert not [c for c in report["complexity"] if c["verdict"] == "meets"]
    # A replaced setup answers {"ok": true} with nothing else; a replaced run has no digest.
    large = _test(report, LARGE_INPUTS_TEST)
    assert large["status"] == "fail"


def test_a_bench_run_reply_without_a_digest_is_a_wrong_answer():
    class Session:
        def request(self, message, timeout):
            return {"ok": True}   # a forged instant reply

    operation = Operation(name="op", expected="O(n)", setup="s", run="r", sizes=(10, 1000))
    spec = measure.BenchmarkSpec(workload="", operations=(operation,))
    with pytest.raises(measure.WrongAnswer, match="no checkable answer"):
        measure._one_batch(Session(), spec, operation, 10, 0, 1.0)


def test_work_moved_into_the_untimed_setup_still_counts():
    """Runs that stay flat while the setup grows quadratically: slower."""
    operation = Operation(name="op", expected="O(n)", setup="s", run="r", sizes=(1_000, 100_000))
    run = measure.OperationRun(operation)
    run.candidate.update({1_000: 0.001, 100_000: 0.001})
    run.reference.update({1_000: 0.010, 100_000: 0.010})
    run.candidate_total.update({1_000: 0.02, 100_000: 20.0})
    run.reference_total.update({1_000: 0.02, 100_000: 0.03})
    decision = measure._decide(run, final=True)
    assert decision.verdict == "slower"
    assert "setup" in decision.reason


SHADOWING_WORKLOAD = """
import random, json, logging, time

def setup(solution, n, seed):
    return [getattr(module, "FAKE", False) for module in (random, json, logging, time)]

def run(state):
    return state
"""


def test_a_submissions_random_py_is_never_imported_in_place_of_the_standard_module(backend):
    fake = "FAKE = True\n"
    sandbox = start_sandbox(backend, "import random\nSEEN = getattr(random, 'FAKE', False)\n",
                            **{"random.py": fake, "json.py": fake, "logging.py": fake, "time.py": fake})
    try:
        setup = sandbox.request({"op": "bench_setup", "workload": SHADOWING_WORKLOAD, "setup": "setup",
                                 "run": "run", "size": 1, "seed": 0}, 10)
        assert setup["ok"], setup
        reply = sandbox.request({"op": "bench_run"}, 10)
        assert reply["ok"], reply
        assert reply["preview"] == "[False, False, False, False]"
    finally:
        sandbox.close()


VISITED_SET_THAT_HIDES = """
import tracemalloc

class Node:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next

def _hide():
    seen = None
    try:
        tracemalloc.reset_peak()
    except Exception:
        pass
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass

def _first_repeat(head):
    seen = set()
    node = head
    while node is not None:
        if id(node) in seen:
            break
        seen.add(id(node))
        node = node.next
    seen.clear()
    del seen
    _hide()
    return node

def has_cycle(head):
    return _first_repeat(head) is not None

def cycle_start(head):
    return _first_repeat(head)
"""


def test_space_is_measured_from_outside_the_sandbox(write_submission, backend):
    """A visited set that is freed before returning, with tracemalloc's peak
    reset and /proc/self/clear_refs written, still fails both O(1) space bounds."""
    report = _grade(write_submission, "linked-list-cycle", VISITED_SET_THAT_HIDES, backend)
    space = {c["operation"]: c for c in report["complexity"] if c["operation"].startswith("extra space")}
    assert set(space) == {"extra space of has_cycle", "extra space of cycle_start"}
    assert all(c["verdict"] == "slower" for c in space.values()), space
    assert report["verdict"] == "fail" and report["score"] < 100


CLEARS_ITS_OWN_PEAK = """
def clear():
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return "written"
    except OSError as exc:
        return type(exc).__name__
"""


def test_proc_is_read_only_inside_the_isolating_sandboxes(backend):
    if not isolates(backend):
        pytest.skip("without bubblewrap the host samples the resident size instead")
    sandbox = start_sandbox(backend, CLEARS_ITS_OWN_PEAK)
    try:
        assert call_in(sandbox, "clear") != "written"
        assert sandbox.memory_probe() is not None, "the host must be able to measure this sandbox"
    finally:
        sandbox.close()


HEAPQ_HEAP = """
import heapq

class MinHeap:
    def __init__(self, items=()):
        self._items = list(items)
        heapq.heapify(self._items)

    def insert(self, val):
        heapq.heappush(self._items, val)

    def extract_min(self):
        return heapq.heappop(self._items) if self._items else None

    def peek(self):
        return self._items[0] if self._items else None

    def __len__(self):
        return len(self._items)
"""


def test_a_rule_breaker_scores_zero_but_still_sees_its_tests(write_submission):
    report = _grade(write_submission, "min-heap", HEAPQ_HEAP)
    assert report["verdict"] == "fail"
    assert report["score"] == 0
    assert report["rules"]
    assert report["correctness"]["tests"] and all(t["status"] == "pass" for t in report["correctness"]["tests"])
    results = json.loads(gradescope.to_gradescope([("heap", report)]))
    assert results["score"] == 0
    assert sum(test["score"] for test in results["tests"]) == 0


def test_the_readme_ci_recipe_fails_a_rule_breaker(tmp_path, monkeypatch):
    """`grader grade submissions --min-score 80 --format github` exits non-zero."""
    folder = tmp_path / "submissions" / "mallory" / "min-heap"
    folder.mkdir(parents=True)
    (folder / "solution.py").write_text(textwrap.dedent(HEAPQ_HEAP), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["grade", "submissions", "--min-score", "80", "--format", "github",
                                      "--sandbox", "process", "--jobs", "1", "--no-complexity"])
    assert result.exit_code == 1, result.output
    result = CliRunner().invoke(cli, ["grade", "submissions", "--format", "jsonl", "--sandbox", "process",
                                      "--jobs", "1", "--no-complexity"])
    [line] = [line for line in result.output.splitlines() if line.startswith("{")]
    assert json.loads(line)["score"] == 0


def test_the_memory_probe_of_a_process_that_is_gone_reads_nothing():
    """A sandbox killed at a time-out mid-call: no measurement, no crash of the grader."""
    import subprocess
    import sys as host_sys
    from grader.sandbox.memory import PeakMemory
    child = subprocess.Popen([host_sys.executable, "-c", "import time; time.sleep(30)"])
    probe = PeakMemory(child.pid, sample=True)
    probe.start()
    child.kill()
    child.wait()
    assert probe.stop() is None
    assert not PeakMemory(child.pid, sample=False).usable()


RELABELS_WITH_A_STAND_IN = '''
class Node:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next


class _Seen:
    """Claims to equal any value: a mark left in place of the node's own."""
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


SEEN = _Seen()


def _floyd(head):
    slow = fast = head
    while fast is not None and fast.next is not None:
        slow, fast = slow.next, fast.next.next
        if slow is fast:
            first = head
            while first is not slow:
                first, slow = first.next, slow.next
            return first
    return None


def has_cycle(head):
    return _floyd(head) is not None


def cycle_start(head):
    start = _floyd(head)
    if start is None:
        return None
    # On a long list, mark every node visited by replacing its value (never restored).
    node, steps = head, 0
    while steps < 600 and node is not start:
        node, steps = node.next, steps + 1
    if steps >= 600:
        node = head
        while node.val is not SEEN:
            node.val = SEEN
            node = node.next
    return start
'''


def test_relabelling_nodes_with_a_stand_in_value_is_a_wrong_answer_at_scale(write_submission):
    """The benchmark checks after each batch that every node keeps its value; a stand-in object that
    claims to equal anything must not pass for the node's own int (the hidden tests' lists are too
    short for this submission to touch them)."""
    report = _grade(write_submission, "linked-list-cycle", RELABELS_WITH_A_STAND_IN)
    assert all(t["status"] == "pass" for t in report["correctness"]["tests"] if t["name"] != LARGE_INPUTS_TEST), \
        [t["name"] for t in report["correctness"]["tests"] if t["status"] != "pass"]
    large = _test(report, LARGE_INPUTS_TEST)
    assert large["status"] == "fail" and "cycle_start" in large["message"], large
