"""Checking a challenge against itself: the reference passes, every mutant
is caught, the stub fails cleanly (a failure, not an error)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from grader.catalog import Challenge
from grader.grading import LARGE_INPUTS_TEST, GradeOptions, grade
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


def _seeds_text(seeds: list[int]) -> str:
    if len(seeds) == 1:
        return f"seed {seeds[0]}"
    if seeds == list(range(seeds[0], seeds[-1] + 1)):
        return f"seeds {seeds[0]}-{seeds[-1]}"
    return "seeds " + ", ".join(map(str, seeds))


def _across_seeds(challenge: Challenge, subject: str, seeds: list[int], judged: list[tuple[bool, str]]) -> Check:
    """One check from a subject's judgement under each seed: ok only if ok under all."""
    missed = [(seed, detail) for seed, (ok, detail) in zip(seeds, judged) if not ok]
    if missed:
        return Check(challenge.slug, subject, False, f"under {_seeds_text([s for s, _ in missed])}: {missed[0][1]}")
    detail = judged[0][1] + (f" (under {_seeds_text(seeds)})" if len(seeds) > 1 else "")
    return Check(challenge.slug, subject, True, detail)


def _judge_bonus_mutant(report: Report) -> tuple[bool, str]:
    """A bonus mutant (``mutants/bonus/``, header ``# expect: bonus``) is right
    except in what a bonus test checks: caught when a bonus test fails and
    no core test does (bonus tests never decide the verdict)."""
    core = [t for t in report.tests if not t.bonus and t.status != "pass"]
    bonus = [t for t in report.tests if t.bonus and t.status != "pass"]
    if report.verdict == "error":
        return False, f"error instead of a failure: {report.message}"
    if core:
        return False, f"meant to fail only a bonus test, yet a core test fails: {core[0].name}: {core[0].message}"
    if not bonus:
        return False, "NOT caught: it passes every bonus test"
    return True, f"caught by a bonus test: {bonus[0].name}: {bonus[0].message}"


def validate(challenge: Challenge, backend: Backend, seed: int = 0, seeds: int = 1) -> list[Check]:
    """Grade the reference and every mutant under each of ``seeds`` seeds
    (from ``seed`` on): the reference must pass and each mutant be caught
    under every one, since a test's strength must not depend on the seed.
    The stub is graded once. Counterexamples are not shrunk: only whether a
    test fails matters here."""
    checks = []
    tried = list(range(seed, seed + max(1, seeds)))
    options = [GradeOptions(seed=s, shrink=False) for s in tried]
    reference = challenge.reference_solution()
    if reference is None:
        checks.append(Check(challenge.slug, "reference", False, "no reference/<slug>/solution.py found"))
    else:
        failing = [(o.seed, r) for o in options for r in [grade(reference, challenge, backend, o)] if not r.passed]
        checks.append(Check(challenge.slug, "reference", not failing,
                            f"passes under {_seeds_text(tried)}" if not failing else
                            f"does not pass under {_seeds_text([s for s, _ in failing])}: "
                            f"{_first_problem(failing[0][1])}"))
    mutants = challenge.mutants()
    if reference is not None and not mutants:
        checks.append(Check(challenge.slug, "mutants", False, "no mutants in reference/<slug>/mutants/"))
    for mutant in mutants:
        judged = [_judge_mutant(mutant, grade(mutant, challenge, backend, o)) for o in options]
        checks.append(_across_seeds(challenge, f"mutants/{mutant.name}", tried, judged))
    for mutant in challenge.bonus_mutants():   # complexity cannot catch what only a bonus test checks
        judged = [_judge_bonus_mutant(grade(mutant, challenge, backend, dataclasses.replace(o, complexity=False)))
                  for o in options]
        checks.append(_across_seeds(challenge, f"mutants/bonus/{mutant.name}", tried, judged))
    stub = grade(challenge.stub_folder, challenge, backend, options[0])
    clean = stub.verdict == "fail" and all(t.status == "fail" for t in stub.tests if not t.bonus)
    checks.append(Check(challenge.slug, "stub", clean,
                        "fails cleanly" if clean else f"does not fail cleanly: {stub.verdict}: {_first_problem(stub)}"))
    checks.extend(_weights_check(challenge, [t.name for t in stub.tests]))
    checks.extend(_hints_check(challenge, [t.name for t in stub.tests]))
    return checks


def _unknown_test_names(challenge: Challenge, names: list[str], keys) -> tuple[list[str], set[str]]:
    """The keys of a challenge.toml table that name no hidden test (the
    stub's report lists every one; none when it could not be run), and the
    names it could have used."""
    known = set(names) | ({LARGE_INPUTS_TEST} if (challenge.folder / "benchmark.py").is_file() else set())
    return ([key for key in keys if key not in known] if names else []), known


def _are_not_tests(unknown: list[str]) -> str:
    return "is not a hidden test" if len(unknown) == 1 else "are not hidden tests"


def _hints_check(challenge: Challenge, names: list[str]) -> list[Check]:
    """A [hints] key that names no hidden test is never shown (a misspelt
    name): refused like [score.tests]'s."""
    unknown, known = _unknown_test_names(challenge, names, challenge.hints)
    if not unknown:
        return []
    return [Check(challenge.slug, "challenge.toml", False,
                  f"{challenge.folder / 'challenge.toml'} has hints for {', '.join(map(repr, unknown))} in [hints], "
                  f"which {_are_not_tests(unknown)}, so no candidate would ever see them. Fix the name (a test's "
                  f"name without test_). The hidden tests: {', '.join(sorted(known))}.")]


def _weights_check(challenge: Challenge, names: list[str]) -> list[Check]:
    """A [score.tests] key that names no hidden test weighs nothing, silently
    (a misspelt name, or a [score] key written below [score.tests])."""
    unknown, known = _unknown_test_names(challenge, names, challenge.test_weights)
    if not unknown:
        return []
    return [Check(challenge.slug, "challenge.toml", False,
                  f"{challenge.folder / 'challenge.toml'} weighs {', '.join(map(repr, unknown))} in [score.tests], "
                  f"which {_are_not_tests(unknown)}. Fix the name (a test's name without test_), or move a [score] "
                  f"key above [score.tests]. The hidden tests: {', '.join(sorted(known))}.")]
