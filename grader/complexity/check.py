"""Running every operation of a challenge's benchmark spec."""

from __future__ import annotations

from grader.catalog import Challenge
from grader.complexity.measure import check_operation
from grader.complexity.spec import load_spec
from grader.harness.session import SandboxSession, TimeLimits
from grader.report.model import ComplexityResult
from grader.sandbox.base import Backend, SandboxLimits
from grader.submission import load


def check_complexity(challenge: Challenge, candidate: SandboxSession, backend: Backend,
                     seed: int) -> list[ComplexityResult]:
    """Per operation: meets, slower or inconclusive, with the numbers behind it.

    The reference runs in a sandbox of its own, started here and closed
    before returning; it never shares the candidate's.
    """
    spec = load_spec(challenge.folder)
    reference_folder = challenge.reference_solution()
    if spec is None or reference_folder is None:
        return []
    # The reference folder also holds mutants/: only its own top-level files go in.
    files = {name: content for name, content in load(reference_folder).files.items() if "/" not in name}
    reference = SandboxSession(
        backend, files,
        SandboxLimits(memory_mb=challenge.limits.memory_mb, cpu_seconds=challenge.limits.cpu_seconds),
        TimeLimits(call_timeout=challenge.limits.call_timeout, total_timeout=challenge.limits.total_timeout),
        list(challenge.entry_points))
    try:
        return [check_operation(spec, operation, candidate, reference, seed) for operation in spec.operations]
    finally:
        reference.close()
