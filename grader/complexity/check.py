"""Running every operation of a challenge's benchmark spec."""

from __future__ import annotations

import dataclasses
import time

from grader.catalog import Challenge
from grader.complexity.measure import WrongAnswer, check_operation
from grader.complexity.spec import load_spec
from grader.harness.session import SandboxSession, TimeLimits
from grader.report.model import ComplexityResult
from grader.sandbox.base import Backend, SandboxLimits
from grader.submission import load


@dataclasses.dataclass(frozen=True)
class ComplexityOutcome:
    results: list[ComplexityResult]     # operations measured: meets, slower or inconclusive
    wrong_answers: list[WrongAnswer]    # operations whose answers at benchmark size were wrong
    checked: bool                       # whether there was anything to check

    @property
    def large_inputs_message(self) -> str:
        return "; ".join(wrong.message for wrong in self.wrong_answers)


def check_complexity(challenge: Challenge, candidate: SandboxSession, backend: Backend,
                     seed: int) -> ComplexityOutcome:
    """Per operation: meets, slower or inconclusive, with the numbers behind it,
    or the wrong answer at benchmark size that makes it a correctness failure.

    The reference runs in a sandbox of its own, started here and closed
    before returning; it never shares the candidate's.
    """
    spec = load_spec(challenge.folder)
    reference_folder = challenge.reference_solution()
    if spec is None or reference_folder is None:
        return ComplexityOutcome([], [], checked=False)
    # The reference folder also holds mutants/: only its own top-level files go in.
    files = {name: content for name, content in load(reference_folder).files.items() if "/" not in name}
    reference = SandboxSession(
        backend, files,
        SandboxLimits(memory_mb=challenge.limits.memory_mb, cpu_seconds=challenge.limits.cpu_seconds),
        TimeLimits(call_timeout=challenge.limits.call_timeout, total_timeout=challenge.limits.total_timeout),
        list(challenge.entry_points), fixtures=challenge.sandbox_fixtures)
    try:
        outcomes = [_timed(spec, operation, candidate, reference, seed) for operation in spec.operations]
    finally:
        reference.close()
    return ComplexityOutcome([o for o in outcomes if isinstance(o, ComplexityResult)],
                             [o for o in outcomes if isinstance(o, WrongAnswer)], checked=True)


def _timed(spec, operation, candidate: SandboxSession, reference: SandboxSession, seed: int):
    """``check_operation``, its result carrying the check's wall time on the
    host (a JUnit test case's time)."""
    started = time.monotonic()
    outcome = check_operation(spec, operation, candidate, reference, seed)
    if isinstance(outcome, ComplexityResult):
        seconds = round(time.monotonic() - started, 3)
        outcome = dataclasses.replace(outcome, details={**outcome.details, "duration_seconds": seconds})
    return outcome
