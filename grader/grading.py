"""The grading pipeline: submission -> rules -> sandbox -> hidden tests -> report.

The verdict is decided here, on the host. The sandbox only ever answers
calls; it never sees a test, a reference or an expected value.
"""

from __future__ import annotations

import dataclasses
import gc
import importlib
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from grader import __version__
from grader.assessment import AssessmentStamp
from grader.catalog import Challenge
from grader.harness.candidate import Candidate
from grader.harness.session import ImportProblem, SandboxSession, TimeLimits
from grader.report.bounds import bounded
from grader.report.model import Report, TestResult
from grader.rules import check as check_rules
from grader.sandbox.base import Backend, SandboxLimits
from grader.submission import Submission, SubmissionProblem, load, read_files, submission_hash

FULL_EXAMPLES = 50
QUICK_EXAMPLES = 20
# The hidden test that the complexity benchmarks add: every answer at benchmark
# size equals the reference's on the same inputs.
LARGE_INPUTS_TEST = "answers_match_the_reference_on_large_inputs"
LARGE_INPUTS_DESCRIPTION = "Answers on large inputs (the complexity benchmarks) match the reference's."


@dataclasses.dataclass(frozen=True)
class GradeOptions:
    seed: int = 0
    max_examples: int = FULL_EXAMPLES
    complexity: bool = True     # measured only when every hidden test passes
    assessment: AssessmentStamp | None = None   # recorded in the report (grader/assessment.py)
    shrink: bool = True         # False: counterexamples as first found (validate only needs caught or not)


def _base(challenge: Challenge, backend: Backend, options: GradeOptions, **fields) -> dict:
    limits = SandboxLimits(memory_mb=challenge.limits.memory_mb, cpu_seconds=challenge.limits.cpu_seconds)
    base = dict(
        challenge=challenge.slug, max_score=challenge.max_score, tests=(), complexity=(), rules=(),
        timed_out=False, memory_exceeded=False, sandbox=backend.name, seed=options.seed,
        submission_sha256="", protections=tuple(backend.protections(limits)),
        grader_version=__version__, challenge_version=challenge.version,
        challenge_sha256=challenge.content_sha256(), score=0.0,
        assessment=options.assessment.for_challenge(challenge.slug) if options.assessment else None,
    )
    base.update(fields)
    return base


def _score(challenge: Challenge, correctness: float, complexity: list, *, measured: bool) -> float:
    """Correctness points by weighted tests; complexity points by operations
    that meet their bound (inconclusive counts as met). Without a benchmark
    spec, correctness carries the whole score."""
    if not complexity and measured:
        return challenge.max_score * correctness
    met = sum(1 for c in complexity if c.verdict != "slower")
    complexity_share = met / len(complexity) if complexity else 0.0
    return challenge.correctness_points * correctness + challenge.complexity_points * complexity_share


def _points(challenge: Challenge, complexity: list, *, measured: bool) -> tuple:
    """How ``max_score`` was split, as ``_score`` split it (for per-test points
    in formats such as Gradescope's)."""
    if not complexity and measured:
        return (("correctness", challenge.max_score), ("complexity", 0.0))
    return (("correctness", challenge.correctness_points), ("complexity", challenge.complexity_points))


def _summary(core: list, failed: list, rules: tuple, slower: list) -> str:
    problems = []
    if failed:
        problems.append(f"{len(failed)} of {len(core)} hidden tests do not pass")
    if slower:
        problems.append("slower than the required complexity: " + ", ".join(c.operation for c in slower))
    if rules:
        problems.append("the code breaks the challenge's rules, so it scores 0")
    if not problems:
        return f"All {len(core)} hidden tests pass."
    text = "; ".join(problems)
    return text[0].upper() + text[1:] + "."


def _not_measured(challenge: Challenge) -> str:
    """What a pass without the complexity checks does not say (grader test)."""
    points = (f": its {challenge.complexity_points:g} of {challenge.max_score:g} points are not in this score"
              if challenge.complexity_points else "")
    return (f" Complexity not checked{points}. Run `grader test --complexity` or `grader submit` "
            "to measure each operation against its big-O bound.")


def large_inputs_test(challenge: Challenge, core: list[TestResult], outcome) -> TestResult:
    """The benchmarks' answers as one hidden test, as heavy as the heaviest
    test unless ``[score.tests]`` weighs it: wrong at scale is wrong."""
    default = max((t.weight for t in core), default=1.0)
    weight = float(challenge.test_weights.get(LARGE_INPUTS_TEST, default))
    if outcome.wrong_answers:
        return TestResult(LARGE_INPUTS_TEST, "fail", message=outcome.large_inputs_message, weight=weight,
                          description=LARGE_INPUTS_DESCRIPTION)
    return TestResult(LARGE_INPUTS_TEST, "pass", weight=weight, description=LARGE_INPUTS_DESCRIPTION)


def correctness_fraction(tests: list[TestResult]) -> float:
    """The passing share of the tests, each counted by its weight."""
    total = sum(t.weight for t in tests)
    if not total:
        return 0.0
    return sum(t.weight for t in tests if t.status == "pass") / total


def grade(path: Path, challenge: Challenge, backend: Backend, options: GradeOptions = GradeOptions(),
          progress: Callable[[str], None] | None = None) -> Report:
    """Grade one submission; every text in the report is within its cap.
    ``progress`` hears what is being done (for a status line)."""
    return bounded(_grade(path, challenge, backend, options, progress or (lambda text: None)))


def _unloadable_hash(path: Path) -> str:
    """The hash of code that does not load (a syntax error) is still the
    code's: every format shows the same one. "" only when it cannot be read."""
    try:
        return submission_hash(read_files(path)[1])
    except SubmissionProblem:
        return ""


def _own_files(submission: Submission, challenge: Challenge) -> Submission:
    """The challenge's reference folder also holds its mutants (mutants/*.py), which
    are not the reference's code: graded as the reference (grader validate, or
    grader submit reference/<slug>), it is its top-level files alone, as the
    complexity check's reference is. A mutant that breaks a forbidden rule on
    purpose (a BFS with list.pop(0)) then does not fail the reference. Any other
    folder is graded with every .py file below it."""
    reference = challenge.reference_solution()
    if reference is None or submission.folder.resolve() != reference.resolve():
        return submission
    files = {name: content for name, content in submission.files.items() if "/" not in name}
    return dataclasses.replace(submission, files=files, sha256=submission_hash(files),
                               trees={name: tree for name, tree in submission.trees.items() if name in files})


def _import_the_runner() -> None:
    """Import pytest and Hypothesis, then freeze what is alive (gc.freeze):
    those ~500 modules stay for the whole process, and without it every full
    collection of the cyclic garbage collector walks them again (about 0.1 s
    of CPU over one grader test). Objects made later are collected as usual."""
    importlib.import_module("grader.harness.runner")
    gc.freeze()


def _start_importing_the_runner() -> threading.Thread:
    """pytest and Hypothesis take about 0.2 s to import, all of it this
    process's CPU; starting the sandbox is mostly the sandbox's own (another
    process, another core). So the first grade of a process imports the
    runner in a thread while the sandbox starts; later ones find it loaded
    (and freeze nothing: a long-lived process's objects stay collectable)."""
    loaded = "grader.harness.runner" in sys.modules
    thread = threading.Thread(target=None if loaded else _import_the_runner, name="grader-import-runner",
                              daemon=True)
    thread.start()
    return thread


def _grade(path: Path, challenge: Challenge, backend: Backend, options: GradeOptions,
           progress: Callable[[str], None]) -> Report:
    started = time.monotonic()
    importing = _start_importing_the_runner()
    try:
        submission = _own_files(load(path), challenge)
    except SubmissionProblem as problem:
        return Report(**_base(challenge, backend, options, verdict="error", message=problem.message,
                              submission_sha256=_unloadable_hash(path), duration_seconds=time.monotonic() - started))
    rules = tuple(check_rules(submission.trees, challenge.forbidden))
    session = SandboxSession(
        backend, submission.files,
        SandboxLimits(memory_mb=challenge.limits.memory_mb, cpu_seconds=challenge.limits.cpu_seconds),
        TimeLimits(call_timeout=challenge.limits.call_timeout, total_timeout=challenge.limits.total_timeout),
        list(challenge.entry_points), fixtures=challenge.sandbox_fixtures,
    )
    try:
        try:
            session.open()
        except ImportProblem as problem:
            return Report(**_base(
                challenge, backend, options, verdict="error", message=problem.message, rules=rules,
                submission_sha256=submission.sha256, timed_out=problem.timed_out,
                memory_exceeded=problem.memory_exceeded, output=session.output(),
                duration_seconds=time.monotonic() - started))
        importing.join()
        from grader.harness.runner import run_hidden_tests   # imported above; raises here if that failed
        tests_started = time.monotonic()
        tests = run_hidden_tests(challenge.tests_folder, Candidate(session), seed=options.seed,
                                 max_examples=options.max_examples, shrink=options.shrink, progress=progress)
        durations = {"correctness": time.monotonic() - tests_started, "complexity": 0.0}
        tests = [dataclasses.replace(t, weight=float(challenge.test_weights.get(t.name, 1.0))) for t in tests]
        core = [t for t in tests if not t.bonus]
        failed = [t for t in core if t.status != "pass"]
        complexity = []
        if options.complexity and not failed:
            complexity_started = time.monotonic()
            progress("complexity: measuring each operation against the reference")
            from grader.complexity.check import check_complexity   # not imported by a grader test without it
            outcome = check_complexity(challenge, session, backend, options.seed)
            durations["complexity"] = time.monotonic() - complexity_started
            complexity = outcome.results
            if outcome.checked:
                tests.append(large_inputs_test(challenge, core, outcome))
                core = [t for t in tests if not t.bonus]
                failed = [t for t in core if t.status != "pass"]
    finally:
        session.close()
    slower = [c for c in complexity if c.verdict == "slower"]
    verdict = "pass" if not failed and not rules and not slower else "fail"
    # Asked not to measure (grader test): the complexity points are not given, and the report says so.
    skipped = not options.complexity and not failed and (challenge.folder / "benchmark.py").is_file()
    # Complexity points need right answers; a rule breaker scores 0 (the contract).
    score = 0.0 if rules else _score(challenge, correctness_fraction(core), [] if failed else complexity,
                                     measured=not failed and not skipped)
    return Report(**_base(
        challenge, backend, options, verdict=verdict,
        message=_summary(core, failed, rules, slower) + (_not_measured(challenge) if skipped else ""),
        score=score, tests=tuple(tests), complexity=tuple(complexity), rules=rules,
        points=_points(challenge, complexity, measured=not failed and not skipped), complexity_skipped=skipped,
        submission_sha256=submission.sha256,
        timed_out=session.timed_out, memory_exceeded=session.memory_exceeded,
        output=session.output(), duration_seconds=time.monotonic() - started,
        stage_seconds=tuple(durations.items())))
