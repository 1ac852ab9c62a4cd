"""Feedback levels: how much of a report a candidate sees.

- ``full``: the report unchanged (messages, counterexamples, measurements).
- ``summary``: each hidden and bonus test's name and status, each complexity
  check's operation, expected bound and verdict, each rule breach's rule,
  file and line; no messages, counterexamples, descriptions, measurements,
  rule details or printed output. The overall message (which says how many
  tests fail, or why the code could not be graded at all) stays.
- ``none``: only the overall fields (verdict, score, limits flags, hashes,
  seed, versions, sandbox), with empty lists and a generic message.

A redacted report names its level in ``"feedback"`` and stays a valid
contract report: every required key is there. Two functions, one per form
of a report, that must agree: ``redact`` on the report dict (what JSON
output and the batch formats use) and ``redact_report`` on the Report
dataclass (what the text renderer uses).
"""

from __future__ import annotations

import dataclasses

from grader.report.model import ComplexityResult, Report, RuleFinding, TestResult

LEVELS = ("full", "summary", "none")
WITHHELD = "Feedback level none: this assessment shows only the verdict and the score."
COMPLEXITY_KEYS = ("operation", "expected", "measured", "verdict", "ratio_to_reference")


def _check(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"unknown feedback level {level!r}")


def _test(test: dict) -> dict:
    shown = {"name": test["name"], "status": test["status"], "message": "", "counterexample": "", "description": ""}
    if "weight" in test:
        shown["weight"] = test["weight"]    # what a test is worth is no hint about the code
    return shown


def redact(report: dict, level: str) -> dict:
    """The report dict as a candidate may see it at ``level`` (a new dict;
    a signature over the original is dropped unless nothing changed)."""
    _check(level)
    if level == "full":
        return dict(report)
    shown = {key: value for key, value in report.items() if key != "signature"}
    bonus = report.get("bonus") or {"passed": 0, "total": 0, "tests": []}
    if level == "summary":
        shown["correctness"] = {**report["correctness"],
                                "tests": [_test(t) for t in report["correctness"]["tests"]]}
        shown["bonus"] = {**bonus, "tests": [_test(t) for t in bonus.get("tests", [])]}
        shown["complexity"] = [{"operation": c["operation"], "expected": c["expected"], "measured": "",
                                "verdict": c["verdict"], "ratio_to_reference": None}
                               for c in report["complexity"]]
        shown["rules"] = [{"rule": r["rule"], "detail": "", "line": r["line"], "file": r.get("file", "solution.py")}
                          for r in report["rules"]]
    else:
        shown["message"] = WITHHELD
        shown["correctness"] = {"passed": 0, "failed": 0, "tests": []}
        shown["bonus"] = {"passed": 0, "total": 0, "tests": []}
        shown["complexity"] = []
        shown["rules"] = []
        shown["test_seconds"] = {}      # it names the tests
    shown["output"] = ""
    shown["feedback"] = level
    return shown


def _test_result(test: TestResult) -> TestResult:
    return dataclasses.replace(test, message="", counterexample="", description="")


def redact_report(report: Report, level: str) -> Report:
    """The same as ``redact``, on the Report dataclass."""
    _check(level)
    if level == "full":
        return report
    if level == "summary":
        return dataclasses.replace(
            report, output="", feedback=level,
            tests=tuple(_test_result(t) for t in report.tests),
            complexity=tuple(ComplexityResult(c.operation, c.expected, "", c.verdict, None)
                             for c in report.complexity),
            rules=tuple(RuleFinding(r.rule, "", r.line, r.file) for r in report.rules))
    return dataclasses.replace(report, output="", feedback=level, message=WITHHELD, tests=(), complexity=(),
                               rules=())
