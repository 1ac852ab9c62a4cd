"""Timing a candidate against the reference, interleaved, from the host.

Both solutions run in sandboxes of the same kind; the reference in its own,
never in the candidate's. Every timed batch is one request whose wall time
the host measures around the round trip, so nothing the submission does to
its clocks matters. Inputs are built by an untimed setup request first, with
a different seed each repetition, so nothing can be memoised across runs.
"""

from __future__ import annotations

import time

from grader.complexity import decide
from grader.complexity.spec import BenchmarkSpec, Operation
from grader.harness.session import CandidateAbort, SandboxSession
from grader.report.model import ComplexityResult
from grader.sandbox.base import SandboxFailure

REPETITIONS = 3
EXTRA_REPETITIONS = 3          # for a borderline result
SETUP_TIMEOUT = 10.0
REFERENCE_TIMEOUT = 10.0
MIN_CANDIDATE_TIMEOUT = 0.5


class Hopeless(Exception):
    """The candidate blew through the cap, or failed, at some size."""

    def __init__(self, size: int, reason: str):
        super().__init__(reason)
        self.size = size
        self.reason = reason


def _request(session: SandboxSession, message: dict, timeout: float) -> tuple[dict, float]:
    started = time.perf_counter()
    reply = session.request(message, timeout)
    return reply, time.perf_counter() - started


def _one_batch(session: SandboxSession, spec: BenchmarkSpec, operation: Operation, size: int, seed: int,
               timeout: float, setup_timeout: float = SETUP_TIMEOUT) -> tuple[float, float]:
    """Set up (not part of the measurement), then run once: (setup seconds,
    run seconds, or peak extra bytes for a space operation)."""
    reply, setup_seconds = _request(session, {"op": "bench_setup", "workload": spec.workload, "setup": operation.setup,
                                              "run": operation.run, "size": size, "seed": seed}, setup_timeout)
    if not reply.get("ok"):
        raise Hopeless(size, f"setup failed: {_raised(reply)}")
    reply, seconds = _request(session, {"op": "bench_run", "space": operation.kind == "space"}, timeout)
    if not reply.get("ok"):
        raise Hopeless(size, f"raised {_raised(reply)} at n={size}")
    if operation.kind == "space":
        if reply.get("peak_bytes") is None:
            raise Hopeless(size, "memory tracing was switched off by the code under test")
        return setup_seconds, float(reply["peak_bytes"])
    return setup_seconds, seconds


def _raised(reply: dict) -> str:
    raised = reply.get("raised") or {}
    return f"{raised.get('type', '?')}: {str(raised.get('message', ''))[:200]}"


class OperationRun:
    """Best measurements so far for one operation."""

    def __init__(self, operation: Operation):
        self.operation = operation
        self.candidate = {size: float("inf") for size in operation.sizes}
        self.reference = {size: float("inf") for size in operation.sizes}
        self.reference_setup = {size: float("inf") for size in operation.sizes}

    def best(self, side: dict) -> tuple[float, float]:
        return side[self.operation.sizes[0]], side[self.operation.sizes[1]]


def _measure(run: OperationRun, spec: BenchmarkSpec, candidate: SandboxSession, reference: SandboxSession,
             repetitions: int, first_seed: int) -> None:
    for repetition in range(repetitions):
        for size in run.operation.sizes:
            seed = first_seed + repetition * 7919 + size
            # The candidate's processes are frozen while the reference runs, so nothing it
            # left running in the background can slow the reference down.
            with candidate.paused():
                ref_setup, ref_value = _reference_batch(reference, spec, run.operation, size, seed)
            run.reference[size] = min(run.reference[size], ref_value)
            run.reference_setup[size] = min(run.reference_setup[size], ref_setup)
            # Building the inputs with hopelessly slow code is hopeless too: cap both.
            setup_cap = max(1.0, decide.CAP_MULTIPLE * run.reference_setup[size])
            cap = max(MIN_CANDIDATE_TIMEOUT, decide.CAP_MULTIPLE * run.reference[size])
            try:
                _, value = _one_batch(candidate, spec, run.operation, size, seed, cap, setup_cap)
            except SandboxFailure as failure:
                if failure.kind == "timeout":
                    raise Hopeless(size, f"took over {decide.CAP_MULTIPLE:g}x the reference's time at n={size} "
                                         "(stopped there)") from None
                raise Hopeless(size, f"the sandbox failed at n={size}: {failure.message}") from None
            run.candidate[size] = min(run.candidate[size], value)


def _reference_batch(reference: SandboxSession, spec, operation, size, seed) -> tuple[float, float]:
    try:
        return _one_batch(reference, spec, operation, size, seed, REFERENCE_TIMEOUT)
    except (Hopeless, SandboxFailure) as problem:
        raise RuntimeError(f"the reference failed its own benchmark: {problem}") from None


def check_operation(spec: BenchmarkSpec, operation: Operation, candidate: SandboxSession,
                    reference: SandboxSession, seed: int) -> ComplexityResult:
    run = OperationRun(operation)
    try:
        _measure(run, spec, candidate, reference, REPETITIONS, seed)
        decision = _decide(run, final=False)
        if decision.verdict == "borderline":
            _measure(run, spec, candidate, reference, EXTRA_REPETITIONS, seed + 104729)
            decision = _decide(run, final=True)
    except Hopeless as hopeless:
        return _result(run, decide.Decision("slower", None, f"worse than {operation.expected}", hopeless.reason))
    except CandidateAbort as abort:
        return _result(run, decide.Decision("inconclusive", None, "?", f"could not measure: {abort.message}"))
    return _result(run, decision)


def _decide(run: OperationRun, *, final: bool) -> decide.Decision:
    if run.operation.kind == "space":
        return decide.decide_space(run.operation, run.best(run.candidate), run.best(run.reference))
    return decide.decide_time(run.operation, run.best(run.candidate), run.best(run.reference), final=final)


def _finite(value: float) -> float | None:
    return None if value == float("inf") else value


def _result(run: OperationRun, decision: decide.Decision) -> ComplexityResult:
    operation = run.operation
    candidate = [_finite(run.candidate[s]) for s in operation.sizes]
    reference = [_finite(run.reference[s]) for s in operation.sizes]
    ratios = [None if c is None or not r else c / r for c, r in zip(candidate, reference)]
    unit = "bytes" if operation.kind == "space" else "seconds"
    details = {
        "kind": operation.kind,
        "axis": operation.axis,
        "sizes": list(operation.sizes),
        f"candidate_{unit}": candidate,
        f"reference_{unit}": reference,
        "ratios": ratios,
        "relative_slope": None if decision.relative_slope is None else round(decision.relative_slope, 3),
        "reason": decision.reason,
    }
    known = [r for r in ratios if r is not None]
    return ComplexityResult(operation=operation.name, expected=operation.expected, measured=decision.measured,
                            verdict=decision.verdict, ratio_to_reference=known[-1] if known else None,
                            details=details)
