"""Issue 13, item 16: the formats agree with each other and with the
report's data. The text report shows the hash the HTML shows, JUnit gives
each submission its own classname and each test case its host-measured
time, and the HTML summary and charts say what a rule breach, an error and
a check stopped at the cap mean."""

from __future__ import annotations

import contextlib
import math
import time
import xml.etree.ElementTree as ET
from types import SimpleNamespace

from grader.complexity import check as complexity_check
from grader.complexity import measure
from grader.complexity.spec import Operation
from grader.grading import GradeOptions, grade
from grader.harness.plugin import _describe
from grader.harness.replies import Answer
from grader.report.feedback import redact
from grader.report.formats import to_junit
from grader.report.html import to_html
from grader.report.model import ComplexityResult, Report, RuleFinding
from grader.report.model import TestResult as Result
from grader.report.render import to_text
from grader.sandbox.base import SandboxFailure
from grader.sandbox.process import ProcessBackend
from grader.submission import read_files, submission_hash


def report(tests=(), complexity=(), rules=(), verdict="pass", message="", **fields) -> Report:
    return Report(challenge="lru-cache", verdict=verdict, score=0.0 if rules else 100.0, max_score=100.0,
                  tests=tuple(tests), complexity=tuple(complexity), rules=tuple(rules), timed_out=False,
                  memory_exceeded=False, sandbox="process", seed=0, submission_sha256="ab" * 32,
                  message=message, duration_seconds=3.2, **fields)


# --- 1. the text report shows the real hash --------------------------------------------------------

def test_the_text_report_shows_the_hash_of_code_that_does_not_even_compile(tmp_path, adder):
    (tmp_path / "solution.py").write_text("def add(a, b)\n    return a + b\n")
    graded = grade(tmp_path, adder, ProcessBackend(use_bwrap=False), GradeOptions(max_examples=5))
    expected = submission_hash(read_files(tmp_path)[1])
    assert graded.verdict == "error" and graded.submission_sha256 == expected
    assert f"submission sha256: {expected}" in to_text(graded)            # not "-"
    assert f"submission sha256: {expected}" in to_html([("x", graded.to_dict())])


def test_the_text_report_shows_the_whole_hash_as_the_html_does():
    assert f"submission sha256: {'ab' * 32}" in to_text(report())


# --- 2. JUnit: a classname per submission, real times ----------------------------------------------

def junit_cases(items) -> list:
    return ET.fromstring(to_junit(items)).findall("testsuite/testcase")


def test_junit_gives_every_submission_its_own_stable_classname():
    one = report([Result("gets", "pass")], rules=[RuleFinding("forbidden-import", "OrderedDict", 1)],
                 verdict="fail").to_dict()
    items = [("subs/alice", one), ("subs/bob", one), ("subs/a b", one), ("subs/a_b", one), ("subs/al.ice", one)]
    cases = junit_cases(items)
    per_suite = [{c.get("classname") for c in cases[i * 2:(i + 1) * 2]} for i in range(len(items))]
    assert per_suite[0] == {"lru-cache.subs_alice"} and per_suite[1] == {"lru-cache.subs_bob"}
    names = [suite.pop() for suite in per_suite]
    assert len(set(names)) == len(items)                       # "a b" and "a_b" sanitise alike: kept apart
    assert names[4] == "lru-cache.subs_al_ice"                 # a dot would nest a level deeper
    assert [c.get("classname") for c in junit_cases(items)] == [c.get("classname") for c in cases]   # stable


def test_junit_times_are_each_cases_recorded_duration_and_bad_ones_are_zero():
    timed = report([Result("gets", "pass", duration_seconds=0.25), Result("bonus_async", "fail", duration_seconds=1.5)],
                   [ComplexityResult("get", "O(1)", "O(1)", "meets", 1.0, {"duration_seconds": 2.125})]).to_dict()
    times = {(c.get("classname"), c.get("name")): c.get("time") for c in junit_cases([("subs/alice", timed)])}
    assert times == {("lru-cache.subs_alice", "gets"): "0.250", ("lru-cache.subs_alice.bonus", "bonus_async"): "1.500",
                     ("lru-cache.subs_alice.complexity", "get"): "2.125"}
    stored = timed | {"duration_seconds": float("nan"), "test_seconds": {"gets": -3, "bonus_async": 1.5}}
    stored["complexity"][0]["duration_seconds"] = "soon"
    suite = ET.fromstring(to_junit([("x", stored)])).find("testsuite")
    assert suite.get("time") == "0.000" and {c.get("time") for c in suite.findall("testcase")} == {"0.000", "1.500"}
    error = report(verdict="error", message="solution.py has a syntax error at line 2").to_dict()
    [grading] = junit_cases([("x", error)])
    assert grading.get("name") == "grading" and grading.get("time") == "3.200"      # the grading's own time


def test_each_hidden_test_records_its_wall_time_on_the_host(tmp_path, adder):
    (tmp_path / "solution.py").write_text(
        "import time\n\ndef add(a, b):\n    time.sleep(0.05)\n    return a + b\n\n"
        "class Counter:\n    def __init__(self):\n        self.n = 0\n"
        "    def increment(self):\n        self.n += 1\n        return self.n\n")
    graded = grade(tmp_path, adder, ProcessBackend(use_bwrap=False), GradeOptions(max_examples=5))
    seconds = {t.name: t.duration_seconds for t in graded.tests}
    assert graded.verdict == "pass" and seconds["adds_two_integers"] >= 0.05 > seconds["counter_counts"] > 0
    assert sum(seconds.values()) <= graded.duration_seconds
    # Beside "correctness", which stays the same for the same seed.
    assert graded.to_dict()["test_seconds"] == {name: round(value, 3) for name, value in seconds.items()}
    assert all("duration_seconds" not in t for t in graded.to_dict()["correctness"]["tests"])
    assert redact(graded.to_dict(), "none")["test_seconds"] == {}              # it would name the tests


def test_each_complexity_check_records_its_wall_time_on_the_host(monkeypatch):
    def slow_check(spec, operation, candidate, reference, seed):
        time.sleep(0.05)
        return ComplexityResult(operation.name, "O(1)", "O(1)", "meets", 1.0, {"reason": "grows like the reference"})

    monkeypatch.setattr(complexity_check, "check_operation", slow_check)
    result = complexity_check._timed(None, SimpleNamespace(name="get"), None, None, 0)
    assert result.details["reason"] == "grows like the reference" and result.details["duration_seconds"] >= 0.05


def test_a_test_description_is_the_docstrings_first_paragraph_even_when_it_wraps():
    def test_x():
        """Capacities above 256 behave the same (no identity comparison of ints,
        which holds only for small ones).

        Not this."""

    assert _describe(SimpleNamespace(obj=test_x)) == ("Capacities above 256 behave the same (no identity "
                                                       "comparison of ints, which holds only for small ones).")


# --- 3. the HTML summary row and a check stopped at the cap -----------------------------------------

def summary_row(page: str, label: str) -> str:
    start = page.index(f">{label}</a>")
    return page[start:page.index("</tr>", start)]


def test_the_html_summary_says_a_rule_breach_scores_0_and_why_an_error_was_not_graded():
    breaker = report([Result("gets", "pass")], rules=[RuleFinding("forbidden-import", "OrderedDict", 1)],
                     verdict="fail").to_dict()
    error = report(verdict="error", message="solution.py has a syntax error at line 2: expected ':'.").to_dict()
    page = to_html([("subs/mallory", breaker), ("subs/carol", error)])
    assert "breaks the challenge's rules (1 finding), so it scores 0" in summary_row(page, "subs/mallory")
    row = summary_row(page, "subs/carol")
    assert "0/0" not in row and "not run" in row and "syntax error at line 2: expected &#x27;:&#x27;." in row
    long = report(verdict="error", message="x" * 500).to_dict()
    assert "x" * 119 + "…" in summary_row(to_html([("subs/dan", long)]), "subs/dan")


def stopped_check(stage: str, candidate: list, stopped_at: int) -> ComplexityResult:
    details = {"kind": "time", "axis": "capacity", "sizes": [500, 50_000], "candidate_seconds": candidate,
               "reference_seconds": [0.004, 0.008], "ratios": [c and c / r for c, r in zip(candidate, (0.004, 0.008))],
               "relative_slope": None, "reason": "took over 40x the reference's time (stopped there)",
               "stopped_at": stopped_at, "stopped_in": stage, "cap_seconds": 0.5}
    return ComplexityResult("get", "O(1)", "worse than O(1)", "slower", None, details)


def page_of(check: ComplexityResult) -> str:
    return to_html([("x", report(complexity=[check], verdict="fail").to_dict())])


def test_a_check_stopped_at_the_cap_says_so_instead_of_not_measured():
    page = page_of(stopped_check("run", [None, None], 500))
    assert "(not measured)" not in page and "over the cap</text>" in page
    assert "yours: stopped at the 0.5 s cap at capacity=500, over the bound." in page
    assert ">over 500.000 ms (cap)</td>" in page and ">over 125.00x</td>" in page     # 0.5 s / 4 ms
    # stopped on a later repetition, at a size measured before: that, and the cap
    later = page_of(stopped_check("run", [0.02, 0.3], 50_000))
    assert "capacity=50,000, over the bound." in later and ">300.000 ms, then over 500.000 ms (cap)</td>" in later
    setup = page_of(stopped_check("setup", [None, None], 500))
    assert "setting up the inputs (your code): stopped at the 0.5 s cap at capacity=500" in setup
    assert "(setup over cap)" in setup and ">setup over 500.000 ms (cap)</td>" in setup


def test_the_report_records_where_and_at_what_cap_a_check_stopped(monkeypatch):
    """The numbers the HTML shows come from the measurement: the size, the
    cap the candidate's request ran into, and whether it was the setup."""
    reference = SimpleNamespace(name="reference")
    candidate = SimpleNamespace(name="candidate", paused=contextlib.nullcontext)
    operation = Operation(name="get", expected="O(1)", setup="s", run="r", sizes=(1_000, 32_000))

    def run_into(failure):
        def one_batch(session, spec, op, size, seed, timeout, setup_timeout=measure.SETUP_TIMEOUT):
            if session is candidate and size == 32_000:
                raise failure
            return measure.Batch(0.002, 0.004, Answer("same", None, ""))
        return one_batch

    monkeypatch.setattr(measure, "_one_batch", run_into(SandboxFailure("timeout", "took too long")))
    result = measure.check_operation(None, operation, candidate, reference, 0)
    assert result.verdict == "slower" and result.details["stopped_at"] == 32_000
    assert result.details["stopped_in"] == "run" and math.isclose(result.details["cap_seconds"], 0.5)  # the floor
    monkeypatch.setattr(measure, "_one_batch", run_into(measure._SetupTimedOut()))
    result = measure.check_operation(None, operation, candidate, reference, 0)
    assert result.details["stopped_in"] == "setup" and math.isclose(result.details["cap_seconds"], 1.0)
