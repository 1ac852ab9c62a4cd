"""Broken and ordinary submissions get the right verdict and a clear message,
end to end through a real sandbox (the fixture challenge `adder`)."""

import pytest

CORRECT = """
def add(a, b):
    return a + b

class Counter:
    def __init__(self):
        self.n = 0
    def increment(self):
        self.n += 1
        return self.n
"""


def test_correct_submission_passes(grade_adder):
    report = grade_adder(CORRECT)
    assert report["verdict"] == "pass"
    assert report["score"] == report["max_score"] == 100
    assert report["correctness"]["failed"] == 0


def test_wrong_submission_fails_with_a_shrunk_counterexample(grade_adder):
    report = grade_adder(CORRECT.replace("return a + b", "return a + b if a < 5 else a - b"))
    assert report["verdict"] == "fail"
    failing = [t for t in report["correctness"]["tests"] if t["status"] == "fail"]
    assert [t["name"] for t in failing] == ["adds_two_integers"]
    assert failing[0]["counterexample"] == "add(5, 1) -> returned 4, expected 6"
    assert report["score"] == pytest.approx(100 * 1 / 4)  # the failing test weighs 3 of 4


@pytest.mark.parametrize("source, fragment", [
    ("def add(a, b) return a\n", "syntax error at line 1"),
    ("import numpy_that_does_not_exist\n", "could not import something"),
    ("raise RuntimeError('boom')\n", "raised RuntimeError: boom while being imported"),
    ("import sys\nsys.exit(3)\n", "called sys.exit(3) while being imported"),
    ("import os\nos._exit(4)\n", "exited with code 4"),
    ("def add(a, b):\n    return a + b\n", "does not define `Counter`"),
    ("add = 3\nclass Counter: pass\n", "`add` is not callable"),
    ("while True:\n    pass\n", "took longer than"),
    ("import time\ntime.sleep(60)\n", "took longer than"),
    ("x = bytearray(1 << 30)\n", "ran out of memory"),
])
def test_submissions_that_cannot_be_graded_get_an_error_verdict(grade_adder, source, fragment):
    report = grade_adder(source)
    assert report["verdict"] == "error"
    assert fragment in report["message"]
    assert report["correctness"]["tests"] == []


def test_timeout_and_memory_at_import_are_flagged(grade_adder):
    assert grade_adder("while True:\n    pass\n")["limits"]["timed_out"] is True
    assert grade_adder("x = bytearray(1 << 30)\n")["limits"]["memory_exceeded"] is True


def test_exception_during_a_call_fails_that_test_only(grade_adder):
    report = grade_adder(CORRECT.replace("return a + b", "raise KeyError(a)"))
    statuses = {t["name"]: t["status"] for t in report["correctness"]["tests"]}
    assert statuses == {"adds_two_integers": "fail", "counter_counts": "pass"}
    failing = report["correctness"]["tests"][0]
    assert "raised KeyError(" in failing["message"]


@pytest.mark.parametrize("body, status, fragment", [
    ("import os; os._exit(9)", "error", "exited with code 9"),
    ("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)", "error", "killed by signal SIGSEGV"),
    ("import sys; sys.exit(0)", "fail", "raised SystemExit"),
    ("while True: pass", "timeout", "time limit exceeded"),
    ("import time; time.sleep(30)", "timeout", "time limit exceeded"),
    ("return bytearray(1 << 30)", "fail", "MemoryError"),
])
def test_crashes_and_limits_during_a_call_fail_and_later_tests_still_run(grade_adder, body, status, fragment):
    source = CORRECT.replace("    return a + b", f"    {body}")
    report = grade_adder(source)
    tests = {t["name"]: t for t in report["correctness"]["tests"]}
    assert report["verdict"] == "fail"
    assert tests["adds_two_integers"]["status"] == status
    assert fragment in tests["adds_two_integers"]["message"]
    assert tests["counter_counts"]["status"] == "pass"  # a fresh sandbox served the next test


def test_memory_error_during_a_call_sets_the_flag(grade_adder):
    report = grade_adder(CORRECT.replace("    return a + b", "    return bytearray(1 << 30)"))
    assert report["limits"]["memory_exceeded"] is True


def test_returning_something_that_is_not_data_fails(grade_adder):
    source = CORRECT.replace("    return a + b", "    return object()")
    failing = grade_adder(source)["correctness"]["tests"][0]
    assert failing["status"] == "fail"
    assert "not plain data" in failing["message"]


def test_rule_violation_fails_even_when_every_test_passes(grade_adder):
    source = "import operator\n" + CORRECT.replace("return a + b", "return operator.add(a, b)")
    report = grade_adder(source)
    assert report["verdict"] == "fail"
    assert report["correctness"]["failed"] == 0
    assert report["rules"] == [{"rule": "forbidden-import", "detail": "operator is not allowed: import operator",
                                "line": 1, "file": "solution.py"}]


def test_what_the_code_prints_is_reported_not_mixed_into_the_protocol(grade_adder):
    source = "print('hello from import')\n" + CORRECT.replace("    return a + b", "    print('{\"id\": 1}')\n    return a + b")
    report = grade_adder(source)
    assert report["verdict"] == "pass"
    assert "hello from import" in report["output"]


def test_same_seed_same_report(grade_adder):
    source = CORRECT.replace("return a + b", "return a + b + (a * b > 50)")
    first, second = grade_adder(source, seed=7), grade_adder(source, seed=7)
    assert first["correctness"] == second["correctness"]


def test_no_hypothesis_database_is_written_anywhere_near_the_submission(grade_adder, tmp_path):
    grade_adder(CORRECT.replace("return a + b", "return a - b"))
    assert not list(tmp_path.rglob(".hypothesis"))
    assert sorted(p.name for p in (tmp_path / "submission").iterdir()) == ["solution.py"]


def test_total_time_budget_stops_the_remaining_tests(adder, write_submission, backend):
    import dataclasses
    import time

    from grader.grading import GradeOptions, grade
    slow = CORRECT.replace("    return a + b", "    import time; time.sleep(0.2)\n    return a + b")
    challenge = dataclasses.replace(adder, limits=dataclasses.replace(adder.limits, total_timeout=1.0))
    started = time.monotonic()
    report = grade(write_submission(slow), challenge, backend, GradeOptions(max_examples=20)).to_dict()
    assert time.monotonic() - started < 10
    assert report["verdict"] == "fail" and report["limits"]["timed_out"] is True
    statuses = [t["status"] for t in report["correctness"]["tests"]]
    assert statuses[0] == "timeout"
    assert "total time limit" in report["correctness"]["tests"][0]["message"]


def test_a_nondeterministic_submission_fails_instead_of_erroring(grade_adder):
    source = CORRECT.replace("    return a + b", "    import random\n    return a + b + (random.random() < 0.3)")
    report = grade_adder(source, examples=30)
    failing = report["correctness"]["tests"][0]
    assert report["verdict"] == "fail"
    assert failing["status"] == "fail" and failing["counterexample"].startswith("add(")
