"""Timing a candidate against the reference, interleaved, from the host.

Both solutions run in sandboxes of the same kind; the reference in its own,
never in the candidate's. Every timed batch is one request whose wall time
the host measures around the round trip, so nothing the submission does to
its clocks matters. Inputs are built by an untimed setup request first, with
a different seed each repetition, so nothing can be memoised across runs.

Nothing the candidate's sandbox says is believed unless the host can check
it: each batch answers with a digest of what the calls returned, compared
with the reference's digest on the very same inputs (a mismatch, an
exception or a crash is a wrong answer, not a complexity verdict); memory is
read from the host's ``/proc``; and the setup's time counts too, since it
calls the candidate's code and work moved there would otherwise go unseen.
"""

from __future__ import annotations

import collections
import dataclasses
import time

from grader.complexity import decide
from grader.complexity.spec import BenchmarkSpec, Operation
from grader.harness import replies
from grader.harness.program import Raised
from grader.harness.replies import Answer
from grader.harness.session import CandidateAbort, SandboxSession
from grader.report.model import ComplexityResult
from grader.sandbox.base import SandboxFailure

REPETITIONS = 3
EXTRA_REPETITIONS = 3          # for a borderline result
SPACE_REPETITIONS = 5          # at most, for a space check (see _measure_space)
SETUP_TIMEOUT = 10.0
REFERENCE_TIMEOUT = 10.0
MIN_CANDIDATE_TIMEOUT = 0.5
SEED_STEP = 7919              # between the seeds of one repetition and the next


class Hopeless(Exception):
    """The candidate blew through the cap at some size: slower, at once.
    The size, the cap and what it capped (``run`` or ``setup``) go in the
    report, so it can say where the measurement stopped."""

    def __init__(self, size: int, reason: str, cap_seconds: float, stage: str):
        super().__init__(reason)
        self.size = size
        self.reason = reason
        self.cap_seconds = cap_seconds
        self.stage = stage


class WrongAnswer(Exception):
    """At benchmark size the candidate answered differently from the
    reference, raised, crashed or sent no checkable answer: a correctness
    failure, never a complexity verdict."""

    def __init__(self, operation: str, size: int, axis: str, how: str):
        self.operation = operation
        self.size = size
        self.how = how
        self.message = f"wrong answer on large inputs: {operation} at {axis}={size:,}: {how}"
        super().__init__(self.message)


class Unmeasurable(Exception):
    """The host cannot measure this here (memory of a remote sandbox), or
    the setup, which another operation's check answers for, is too slow."""


class _SetupTimedOut(Exception):
    """The setup request ran past its cap."""


@dataclasses.dataclass(frozen=True)
class Batch:
    setup_seconds: float
    value: float                # run seconds, or peak extra bytes for space
    answer: Answer
    run_seconds: float = 0.0    # the run's round trip, for space too: what the candidate's time cap scales


def _request(session: SandboxSession, message: dict, timeout: float) -> tuple[dict, float]:
    started = time.perf_counter()
    reply = session.request(message, timeout)
    return reply, time.perf_counter() - started


def _raised(raised: Raised) -> str:
    message = raised.message[:200]
    return f"{raised.type_name[:100]}: {message}" if message else raised.type_name[:100]


def _one_batch(session: SandboxSession, spec: BenchmarkSpec, operation: Operation, size: int, seed: int,
               timeout: float, setup_timeout: float = SETUP_TIMEOUT) -> Batch:
    """Set up (timed apart), then run once, measured from the host. Raises
    WrongAnswer when the sandbox does not answer with a checkable digest."""
    def wrong(how: str) -> WrongAnswer:
        return WrongAnswer(operation.name, size, operation.axis, how)

    try:
        reply, setup_seconds = _request(session, {"op": "bench_setup", "workload": spec.workload,
                                                  "setup": operation.setup, "run": operation.run,
                                                  "size": size, "seed": seed}, setup_timeout)
    except SandboxFailure as failure:
        if failure.kind == "timeout":
            raise _SetupTimedOut from None
        raise
    try:
        failure = replies.bench_failure(reply)
    except replies.InvalidReply as invalid:
        raise wrong(f"the sandbox sent an invalid reply ({invalid})") from None
    if failure is not None:
        raise wrong(f"raised {_raised(failure)} while the inputs were being set up")
    probe = None
    if operation.kind == "space":
        probe = session.memory_probe()
        if probe is None:
            raise Unmeasurable("memory cannot be measured from outside this sandbox (a remote engine?)")
        try:
            probe.start()
        except (OSError, ValueError, IndexError):
            raise Unmeasurable("the sandbox's process could not be read before the call") from None
    try:
        reply, seconds = _request(session, {"op": "bench_run"}, timeout)
    finally:
        peak = probe.stop() if probe is not None else None   # None once the process is gone
    if probe is not None and peak is None:
        raise Unmeasurable("the sandbox's process could not be read after the call")
    try:
        failure = replies.bench_failure(reply)
        answer = replies.bench_answer(reply) if failure is None else None
    except replies.InvalidReply as invalid:
        raise wrong(f"the sandbox sent no checkable answer (an invalid reply: {invalid})") from None
    if failure is not None:
        raise wrong(f"raised {_raised(failure)}")
    return Batch(setup_seconds, float(peak) if probe is not None else seconds, answer, seconds)


def _difference(candidate: Answer, reference: Answer) -> str:
    if candidate.count is not None and reference.count is not None and candidate.count != reference.count:
        return f"{candidate.count:,} answers where the reference gave {reference.count:,}"
    return (f"the answers differ from the reference's on the same inputs "
            f"(yours begin {_short(candidate.preview)}, the reference's {_short(reference.preview)})")


def _short(text: str) -> str:
    return text if len(text) < 60 else text[:57] + "..."


class OperationRun:
    """Best measurements so far for one operation."""

    def __init__(self, operation: Operation):
        self.operation = operation
        self.sizes = list(operation.sizes)     # the third size is added when it is measured
        infinite = lambda: collections.defaultdict(lambda: float("inf"))  # noqa: E731
        self.candidate = infinite()
        self.candidate_peak = collections.defaultdict(float)   # space: the largest reading (decide.space_reading)
        self.reference = infinite()
        self.candidate_total = infinite()
        self.reference_total = infinite()
        self.reference_setup = infinite()
        self.reference_run = infinite()        # seconds, for space too (the candidate's time cap)

    def best(self, side: dict) -> tuple:
        return tuple(side[size] for size in self.sizes)

    def counted(self, size: int) -> float:
        """The candidate's reading that counts at ``size``: the best one, or
        for space a reading past the noise ceiling (decide.space_reading)."""
        if self.operation.kind == "space":
            return decide.space_reading(self.candidate[size], self.candidate_peak[size])
        return self.candidate[size]


def _measure(run: OperationRun, spec: BenchmarkSpec, candidate: SandboxSession, reference: SandboxSession,
             repetitions: int, first_seed: int, sizes: list[int] | None = None) -> None:
    operation = run.operation
    for repetition in range(repetitions):
        for size in sizes or run.sizes:
            seed = first_seed + repetition * SEED_STEP + size
            # The candidate's processes are frozen while the reference runs, so nothing it
            # left running in the background can slow the reference down.
            with candidate.paused():
                ref = _reference_batch(reference, spec, operation, size, seed)
            run.reference[size] = min(run.reference[size], ref.value)
            run.reference_setup[size] = min(run.reference_setup[size], ref.setup_seconds)
            run.reference_run[size] = min(run.reference_run[size], ref.run_seconds)
            # Building the inputs with hopelessly slow code is hopeless too: cap both. The run's cap
            # is in seconds for a space check too (its value is bytes: 28 KiB made a 13-day cap).
            setup_cap = max(1.0, decide.CAP_MULTIPLE * run.reference_setup[size])
            cap = max(MIN_CANDIDATE_TIMEOUT, decide.CAP_MULTIPLE * run.reference_run[size])
            try:
                mine = _one_batch(candidate, spec, operation, size, seed, cap, setup_cap)
            except _SetupTimedOut:
                if operation.setup_uses:
                    raise Unmeasurable(f"the setup builds its input with {operation.setup_uses}, which took over "
                                       f"{decide.CAP_MULTIPLE:g}x the reference's time at {operation.axis}={size:,} "
                                       f"(see the {operation.setup_uses} check)") from None
                raise Hopeless(size, f"setting up the inputs (your code) took over {decide.CAP_MULTIPLE:g}x the "
                                     f"reference's time at {operation.axis}={size:,} (stopped there)",
                               setup_cap, "setup") from None
            except SandboxFailure as failure:
                if failure.kind == "timeout":
                    raise Hopeless(size, f"took over {decide.CAP_MULTIPLE:g}x the reference's time at "
                                         f"{operation.axis}={size:,} (stopped there)", cap, "run") from None
                raise WrongAnswer(operation.name, size, operation.axis,
                                  f"the sandbox failed: {failure.message}") from None
            if mine.answer.digest != ref.answer.digest:
                raise WrongAnswer(operation.name, size, operation.axis, _difference(mine.answer, ref.answer))
            run.candidate[size] = min(run.candidate[size], mine.value)
            run.candidate_peak[size] = max(run.candidate_peak[size], mine.value)
            if operation.kind == "time" and not operation.setup_uses:   # setup + run, in seconds: see _decide
                run.reference_total[size] = min(run.reference_total[size], ref.setup_seconds + ref.value)
                run.candidate_total[size] = min(run.candidate_total[size], mine.setup_seconds + mine.value)


def _measure_space(run: OperationRun, spec: BenchmarkSpec, candidate: SandboxSession, reference: SandboxSession,
                   first_seed: int) -> None:
    """One repetition at a time, up to SPACE_REPETITIONS, until the candidate's
    extra memory at the large size is within the floor (decide.space_settled).
    The kernel reads resident memory approximately (it counts pages per CPU
    and folds them in batches): about one batch in eight read 40-80 KiB that
    no Python code allocated, over the 64 KiB floor, so three noisy readings
    in a row would make constant space `slower` (about 1 check in 500). One reading within the
    floor settles the check, unless an earlier one went past what noise can
    read; a visited set never is, and gets every repetition."""
    large = run.sizes[-1]
    for repetition in range(SPACE_REPETITIONS):
        _measure(run, spec, candidate, reference, 1, first_seed + repetition * SEED_STEP)
        if decide.space_settled(run.candidate[large], run.candidate_peak[large]):
            return


def _reference_batch(reference: SandboxSession, spec, operation, size, seed) -> Batch:
    try:
        return _one_batch(reference, spec, operation, size, seed, REFERENCE_TIMEOUT)
    except _SetupTimedOut:
        raise RuntimeError("the reference's benchmark setup took too long") from None
    except (WrongAnswer, SandboxFailure, CandidateAbort) as problem:
        raise RuntimeError(f"the reference failed its own benchmark: {problem}") from None


def check_operation(spec: BenchmarkSpec, operation: Operation, candidate: SandboxSession,
                    reference: SandboxSession, seed: int) -> ComplexityResult | WrongAnswer:
    """The operation's complexity result, or the wrong answer that stopped it."""
    run = OperationRun(operation)
    try:
        if operation.kind == "space":
            _measure_space(run, spec, candidate, reference, seed)
        else:
            _measure(run, spec, candidate, reference, REPETITIONS, seed)
        decision = _decide(run, final=False)
        if operation.kind == "time" and decide.needs_third_size(decision):
            top = decide.third_size(operation)
            run.sizes.append(top)
            _measure(run, spec, candidate, reference, REPETITIONS, seed, sizes=[top])
            decision = _decide(run, final=False)
        if decision.verdict == "borderline":
            _measure(run, spec, candidate, reference, EXTRA_REPETITIONS, seed + 104729)
            decision = _decide(run, final=True)
    except WrongAnswer as wrong:
        return wrong
    except CandidateAbort as abort:
        return WrongAnswer(operation.name, 0, operation.axis, f"the sandbox could not go on: {abort.message}")
    except Hopeless as hopeless:
        return _result(run, decide.Decision("slower", None, f"worse than {operation.expected}", hopeless.reason),
                       stopped_at=hopeless.size, stopped_in=hopeless.stage, cap_seconds=round(hopeless.cap_seconds, 3))
    except Unmeasurable as problem:
        return _result(run, decide.Decision("inconclusive", None, "?", f"not measured: {problem}"))
    return _result(run, decision)


_SEVERITY = {"meets": 0, "inconclusive": 1, "borderline": 2, "slower": 3}


def _decide(run: OperationRun, *, final: bool) -> decide.Decision:
    if run.operation.kind == "space":
        candidate = tuple(run.counted(size) for size in run.sizes)
        return decide.decide_space(run.operation, candidate, run.best(run.reference))
    timed = decide.decide_time(run.operation, run.best(run.candidate), run.best(run.reference), final=final)
    if run.operation.setup_uses:      # the setup's time is the other operation's: see Operation
        return timed
    # The setup calls the candidate's code too (building the cache, the heap): its
    # time with the run's must grow like the reference's as well.
    total = decide.decide_time(run.operation, run.best(run.candidate_total), run.best(run.reference_total),
                               final=final)
    if _SEVERITY[total.verdict] > _SEVERITY[timed.verdict]:
        return dataclasses.replace(total, reason=total.reason + " once the setup (your code too) is counted")
    return timed


def _finite(value: float) -> float | None:
    return None if value == float("inf") else value


def _result(run: OperationRun, decision: decide.Decision, **stopped) -> ComplexityResult:
    """The result with its numbers; ``stopped``: where the cap stopped it."""
    operation = run.operation
    candidate = [_finite(run.counted(s)) for s in run.sizes]
    reference = [_finite(run.reference[s]) for s in run.sizes]
    ratios = [None if c is None or not r else c / r for c, r in zip(candidate, reference)]
    unit = "bytes" if operation.kind == "space" else "seconds"
    details = {
        "kind": operation.kind,
        "axis": operation.axis,
        "sizes": list(run.sizes),
        f"candidate_{unit}": candidate,
        f"reference_{unit}": reference,
        "ratios": ratios,
        "relative_slope": None if decision.relative_slope is None else round(decision.relative_slope, 3),
        "reason": decision.reason,
        **stopped,
    }
    known = [r for r in ratios if r is not None]
    return ComplexityResult(operation=operation.name, expected=operation.expected, measured=decision.measured,
                            verdict=decision.verdict, ratio_to_reference=known[-1] if known else None,
                            details=details)
