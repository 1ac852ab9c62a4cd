"""The report model. Its JSON form is the contract's report object."""

from __future__ import annotations

import dataclasses
from typing import Any

from grader.constants import SCHEMA_VERSION


@dataclasses.dataclass(frozen=True)
class TestResult:
    name: str
    status: str                 # pass | fail | error | timeout
    message: str = ""
    counterexample: str = ""
    weight: float = 1.0
    description: str = ""
    duration_seconds: float = 0.0   # wall time on the host (pytest's clock), never a figure from the sandbox

    @property
    def bonus(self) -> bool:
        """Bonus tests (named ``test_bonus_*``) are scored apart and never decide the verdict."""
        return self.name.startswith("bonus_")


@dataclasses.dataclass(frozen=True)
class RuleFinding:
    rule: str                   # forbidden-import | -call | -name | -attribute | -syntax | ...
    detail: str
    line: int
    file: str = "solution.py"


@dataclasses.dataclass(frozen=True)
class ComplexityResult:
    operation: str
    expected: str
    measured: str
    verdict: str                # meets | slower | inconclusive
    ratio_to_reference: float | None
    details: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Report:
    challenge: str
    verdict: str                # pass | fail | error
    score: float
    max_score: float
    tests: tuple[TestResult, ...]
    complexity: tuple[ComplexityResult, ...]
    rules: tuple[RuleFinding, ...]
    timed_out: bool
    memory_exceeded: bool
    sandbox: str
    seed: int
    submission_sha256: str
    message: str = ""
    protections: tuple[str, ...] = ()
    output: str = ""
    grader_version: str = ""
    challenge_version: int = 0
    challenge_sha256: str = ""
    duration_seconds: float = 0.0
    stage_seconds: tuple = ()       # (("correctness", s), ("complexity", s))
    assessment: dict | None = None  # {"name", "sha256", "weight"} when graded under a grader.toml
    feedback: str = ""              # "" (full) | summary | none: see grader/report/feedback.py
    points: tuple = ()              # (("correctness", C), ("complexity", K)): how max_score was split
    complexity_skipped: bool = False  # not measured (grader test): its points are not in the score
    hints_used: int | None = None   # hint levels revealed in this workspace (grader/history.py); None: not known

    @property
    def passed(self) -> bool:
        return self.verdict == "pass"

    def to_dict(self) -> dict[str, Any]:
        """The contract's report object (plus a few extra fields)."""
        core = [t for t in self.tests if not t.bonus]
        bonus = [t for t in self.tests if t.bonus]
        passed = sum(1 for t in core if t.status == "pass")
        data = {
            "schema": SCHEMA_VERSION,
            "challenge": self.challenge,
            "verdict": self.verdict,
            "message": self.message,
            "score": round(self.score, 2),
            "max_score": self.max_score,
            "correctness": {
                "passed": passed,
                "failed": len(core) - passed,
                "tests": [
                    {"name": t.name, "status": t.status, "message": t.message,
                     "counterexample": t.counterexample, "description": t.description, "weight": t.weight}
                    for t in core
                ],
            },
            "bonus": {
                "passed": sum(1 for t in bonus if t.status == "pass"),
                "total": len(bonus),
                "tests": [
                    {"name": t.name, "status": t.status, "message": t.message,
                     "counterexample": t.counterexample, "description": t.description}
                    for t in bonus
                ],
            },
            "complexity": [
                {"operation": c.operation, "expected": c.expected, "measured": c.measured,
                 "verdict": c.verdict, "ratio_to_reference": c.ratio_to_reference, **c.details}
                for c in self.complexity
            ],
            "rules": [{"rule": r.rule, "detail": r.detail, "line": r.line, "file": r.file}
                      for r in self.rules],
            "limits": {"timed_out": self.timed_out, "memory_exceeded": self.memory_exceeded},
            "sandbox": self.sandbox,
            "protections": list(self.protections),
            "seed": self.seed,
            "submission_sha256": self.submission_sha256,
            "challenge_version": self.challenge_version,
            "challenge_sha256": self.challenge_sha256,
            "grader_version": self.grader_version,
            "duration_seconds": round(self.duration_seconds, 3),
            "stage_seconds": {stage: round(seconds, 3) for stage, seconds in self.stage_seconds},
            # Apart from "correctness", which stays the same for the same seed.
            "test_seconds": {t.name: round(t.duration_seconds, 3) for t in self.tests},
            "output": self.output,
        }
        if self.points:
            data["points"] = dict(self.points)
        if self.complexity_skipped:
            data["complexity_skipped"] = True
        if self.assessment is not None:
            data["assessment"] = dict(self.assessment)
        if self.feedback:
            data["feedback"] = self.feedback
        if self.hints_used is not None:     # self-reported by the candidate's machine: see grader/history.py
            data["hints_used"] = self.hints_used
        return data
