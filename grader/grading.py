"""The grading pipeline: submission -> rules -> sandbox -> hidden tests -> report.

The verdict is decided here, on the host. The sandbox only ever answers
calls; it never sees a test, a reference or an expected value.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from grader import __version__
from grader.catalog import Challenge
from grader.constants import MAX_OUTPUT_IN_REPORT
from grader.harness.candidate import Candidate
from grader.harness.runner import run_hidden_tests
from grader.harness.session import ImportProblem, SandboxSession, TimeLimits
from grader.report.model import Report, TestResult
from grader.rules import check as check_rules
from grader.sandbox.base import Backend, SandboxLimits
from grader.submission import SubmissionProblem, load

FULL_EXAMPLES = 50
QUICK_EXAMPLES = 20


@dataclasses.dataclass(frozen=True)
class GradeOptions:
    seed: int = 0
    max_examples: int = FULL_EXAMPLES


def _base(challenge: Challenge, backend: Backend, options: GradeOptions, **fields) -> dict:
    limits = SandboxLimits(memory_mb=challenge.limits.memory_mb, cpu_seconds=challenge.limits.cpu_seconds)
    base = dict(
        challenge=challenge.slug, max_score=challenge.max_score, tests=(), complexity=(), rules=(),
        timed_out=False, memory_exceeded=False, sandbox=backend.name, seed=options.seed,
        submission_sha256="", protections=tuple(backend.protections(limits)),
        grader_version=__version__, challenge_version=challenge.version,
        challenge_sha256=challenge.content_sha256(), score=0.0,
    )
    base.update(fields)
    return base


def correctness_fraction(tests: list[TestResult], weights: dict) -> float:
    total = sum(float(weights.get(t.name, 1.0)) for t in tests)
    if not total:
        return 0.0
    return sum(float(weights.get(t.name, 1.0)) for t in tests if t.status == "pass") / total


def grade(path: Path, challenge: Challenge, backend: Backend, options: GradeOptions = GradeOptions()) -> Report:
    started = time.monotonic()
    try:
        submission = load(path)
    except SubmissionProblem as problem:
        return Report(**_base(challenge, backend, options, verdict="error", message=problem.message,
                              duration_seconds=time.monotonic() - started))
    rules = tuple(check_rules(submission.trees, challenge.forbidden))
    session = SandboxSession(
        backend, submission.files,
        SandboxLimits(memory_mb=challenge.limits.memory_mb, cpu_seconds=challenge.limits.cpu_seconds),
        TimeLimits(call_timeout=challenge.limits.call_timeout, total_timeout=challenge.limits.total_timeout),
        list(challenge.entry_points),
    )
    try:
        try:
            session.open()
        except ImportProblem as problem:
            return Report(**_base(
                challenge, backend, options, verdict="error", message=problem.message, rules=rules,
                submission_sha256=submission.sha256, timed_out=problem.timed_out,
                memory_exceeded=problem.memory_exceeded, output=session.output()[-MAX_OUTPUT_IN_REPORT:],
                duration_seconds=time.monotonic() - started))
        tests = run_hidden_tests(challenge.tests_folder, Candidate(session), seed=options.seed,
                                 max_examples=options.max_examples)
    finally:
        session.close()
    tests = [dataclasses.replace(t, weight=float(challenge.test_weights.get(t.name, 1.0))) for t in tests]
    core = [t for t in tests if not t.bonus]
    fraction = correctness_fraction(core, challenge.test_weights)
    failed = [t for t in core if t.status != "pass"]
    verdict = "pass" if not failed and not rules else "fail"
    if verdict == "pass":
        message = f"All {len(core)} hidden tests pass."
    elif failed:
        message = f"{len(failed)} of {len(core)} hidden tests do not pass."
    else:
        message = "All hidden tests pass, but the code breaks the challenge's rules."
    if rules and failed:
        message += " The code also breaks the challenge's rules."
    return Report(**_base(
        challenge, backend, options, verdict=verdict, message=message, score=challenge.max_score * fraction,
        tests=tuple(tests), rules=rules, submission_sha256=submission.sha256,
        timed_out=session.timed_out, memory_exceeded=session.memory_exceeded,
        output=session.output()[-MAX_OUTPUT_IN_REPORT:], duration_seconds=time.monotonic() - started))
