"""`grader validate --seeds N`: a mutant must be caught under every seed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from grader import validation
from grader.catalog import Catalog
from grader.report.model import Report, TestResult as Result

FIXTURES = Path(__file__).parent / "fixtures"


def _report(passed: bool) -> Report:
    test = Result("adds", "pass" if passed else "fail", message="" if passed else "returned 3, expected 4")
    return Report(challenge="adder", verdict="pass" if passed else "fail", score=100.0 if passed else 0.0,
                  max_score=100.0, tests=(test,), complexity=(), rules=(), timed_out=False,
                  memory_exceeded=False, sandbox="fake", seed=0, submission_sha256="")


def test_a_mutant_that_survives_one_seed_of_five_is_a_problem(monkeypatch):
    challenge = Catalog([FIXTURES / "challenges"]).get("adder")
    seen = []

    def fake_grade(path, challenge, backend, options):
        seen.append((Path(path).name, options.seed, options.shrink))
        if path == challenge.reference_solution():
            return _report(True)
        if path == challenge.stub_folder:
            return _report(False)
        return _report(options.seed == 3)   # every mutant: caught except under seed 3

    monkeypatch.setattr(validation, "grade", fake_grade)
    checks = validation.validate(challenge, backend=None, seed=0, seeds=5)
    mutants = [c for c in checks if c.subject.startswith("mutants/")]
    assert mutants and all(not c.ok and c.detail.startswith("under seed 3: NOT caught") for c in mutants)
    reference = [c for c in checks if c.subject == "reference"][0]
    assert reference.ok and reference.detail == "passes under seeds 0-4"
    assert {seed for _, seed, _ in seen} == {0, 1, 2, 3, 4}
    assert all(shrink is False for _, _, shrink in seen)


def test_one_seed_is_the_default_and_reads_as_before(monkeypatch):
    challenge = Catalog([FIXTURES / "challenges"]).get("adder")
    monkeypatch.setattr(validation, "grade", lambda path, *a: _report(path == challenge.reference_solution()))
    checks = validation.validate(challenge, backend=None, seed=7)
    assert [c.detail for c in checks if c.subject == "reference"] == ["passes under seed 7"]
    assert all(c.ok for c in checks if c.subject.startswith("mutants/"))


def test_a_bonus_mutant_is_caught_only_by_a_failing_bonus_test(monkeypatch):
    challenge = Catalog([FIXTURES / "challenges"]).get("adder")
    caught, uncaught = Path("bonus/caught.py"), Path("bonus/uncaught.py")
    monkeypatch.setattr(type(challenge), "bonus_mutants", lambda self: [caught, uncaught])

    def fake_grade(path, challenge, backend, options):
        assert options.complexity is False or path not in (caught, uncaught)
        if path == caught:
            bonus = Result("bonus_async", "fail", message="no ERROR record")
            return dataclasses.replace(_report(True), tests=_report(True).tests + (bonus,))
        return _report(path != challenge.stub_folder and not str(path).endswith("subtracts.py"))

    monkeypatch.setattr(validation, "grade", fake_grade)
    checks = {c.subject: c for c in validation.validate(challenge, backend=None, seeds=2)}
    assert checks["mutants/bonus/caught.py"].ok
    assert "caught by a bonus test: bonus_async" in checks["mutants/bonus/caught.py"].detail
    assert not checks["mutants/bonus/uncaught.py"].ok
    assert "NOT caught" in checks["mutants/bonus/uncaught.py"].detail


def test_the_reference_is_graded_without_its_mutants(tmp_path):
    """A mutant may break a forbidden rule on purpose (shortest-path's BFS with list.pop(0)):
    graded as the reference, the reference folder is its own top-level files, not mutants/*.py;
    the mutant itself, and any other folder with a mutants/ subfolder, is still checked."""
    import shutil

    from grader.grading import GradeOptions, grade
    from grader.sandbox.process import ProcessBackend

    shutil.copytree(FIXTURES / "challenges" / "adder", tmp_path / "challenges" / "adder")
    shutil.copytree(FIXTURES / "reference" / "adder", tmp_path / "reference" / "adder")
    mutant = tmp_path / "reference" / "adder" / "mutants" / "uses_operator.py"
    mutant.write_text("# Adds with the forbidden operator module.\nimport operator\n\n\ndef add(a, b):\n"
                      "    return operator.add(a, b)\n")
    challenge = Catalog([tmp_path / "challenges"]).get("adder")
    options = GradeOptions(max_examples=2, complexity=False)
    reference = grade(challenge.reference_solution(), challenge, ProcessBackend(), options)
    assert reference.rules == () and reference.passed
    assert [f.rule for f in grade(mutant, challenge, ProcessBackend(), options).rules] == ["forbidden-import"]
    other = tmp_path / "candidate"
    shutil.copytree(tmp_path / "reference" / "adder", other)
    assert [f.file for f in grade(other, challenge, ProcessBackend(), options).rules] == ["mutants/uses_operator.py"]
