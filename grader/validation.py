"""Checking a challenge against itself: the reference passes, every mutant
is caught, the stub fails cleanly (a failure, not an error)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from grader.catalog import Challenge
from grader.grading import GradeOptions, grade
from grader.report.model import Report
from grader.sandbox.base import Backend


@dataclasses.dataclass(frozen=True)
class Check:
    challenge: str
    subject: str          # reference | stub | mutants/<name>
    ok: bool
    detail: str


def _first_problem(report: Report) -> str:
    for test in report.tests:
        if test.status != "pass":
            return f"{test.name}: {test.message}"
    if report.rules:
        return f"rule: {report.rules[0].detail}"
    return report.message


def expects_slower(mutant: Path) -> bool:
    """A mutant whose header says ``# expect: slower`` is correct but too slow:
    the complexity check, not a hidden test, must catch it."""
    head = mutant.read_text(encoding="utf-8").splitlines()[:5]
    return any(line.strip().lower() == "# expect: slower" for line in head)


def _judge_mutant(mutant: Path, report: Report) -> tuple[bool, str]:
    if report.passed:
        return False, "NOT caught: it passes every hidden test and complexity check"
    if report.verdict == "error":
        return False, f"error instead of a failure: {report.message}"
    if expects_slower(mutant):
        failing = [t for t in report.tests if t.status != "pass" and not t.bonus]
        slower = [c.operation for c in report.complexity if c.verdict == "slower"]
        if failing:
            return False, f"meant to be correct but slow, yet a hidden test fails: {_first_problem(report)}"
        if not slower:
            return False, "meant to be slower, but no complexity check says so"
        return True, "caught by complexity: slower on " + ", ".join(slower)
    return True, f"caught: {_first_problem(report)}"


def validate(challenge: Challenge, backend: Backend, seed: int = 0) -> list[Check]:
    checks = []
    options = GradeOptions(seed=seed)
    reference = challenge.reference_solution()
    if reference is None:
        checks.append(Check(challenge.slug, "reference", False, "no reference/<slug>/solution.py found"))
    else:
        report = grade(reference, challenge, backend, options)
        checks.append(Check(challenge.slug, "reference", report.passed,
                            "passes" if report.passed else f"does not pass: {_first_problem(report)}"))
    mutants = challenge.mutants()
    if reference is not None and not mutants:
        checks.append(Check(challenge.slug, "mutants", False, "no mutants in reference/<slug>/mutants/"))
    for mutant in mutants:
        report = grade(mutant, challenge, backend, options)
        checks.append(Check(challenge.slug, f"mutants/{mutant.name}", *_judge_mutant(mutant, report)))
    stub = grade(challenge.stub_folder, challenge, backend, options)
    clean = stub.verdict == "fail" and all(t.status == "fail" for t in stub.tests if not t.bonus)
    checks.append(Check(challenge.slug, "stub", clean,
                        "fails cleanly" if clean else f"does not fail cleanly: {stub.verdict}: {_first_problem(stub)}"))
    return checks

