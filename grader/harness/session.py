"""A submission's sandbox over the whole grading run.

Starts the sandbox lazily, imports the submission, restarts a fresh sandbox
after a crash (a bounded number of times) and keeps the time budget for all
tests. It records what went wrong so the report can say so.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from typing import Mapping

from grader.constants import MAX_SANDBOX_RESTARTS
from grader.harness import replies
from grader.harness.program import Outcome, Raised
from grader.sandbox.base import Backend, Sandbox, SandboxFailure, SandboxLimits


@dataclasses.dataclass(frozen=True)
class TimeLimits:
    call_timeout: float
    total_timeout: float


class CandidateAbort(BaseException):
    """A test cannot go on: the sandbox timed out or crashed.

    A BaseException on purpose: Hypothesis lets it through at once instead
    of re-running a slow or crashing example while shrinking.
    """

    def __init__(self, status: str, message: str, *, step: int | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.transcript = ""
        self.step = step        # the step that did not return (a time-out), when known


class ImportProblem(Exception):
    """The submission could not be imported, or lacks an entry point."""

    def __init__(self, message: str, *, timed_out: bool = False, memory_exceeded: bool = False,
                 line: int | None = None):
        super().__init__(message)
        self.message = message
        self.timed_out = timed_out
        self.memory_exceeded = memory_exceeded
        self.line = line


class SandboxSession:
    def __init__(self, backend: Backend, files: Mapping[str, bytes], sandbox_limits: SandboxLimits,
                 times: TimeLimits, entry_points: list[str], fixtures: str | None = None):
        self.backend = backend
        self._files = files
        self._sandbox_limits = sandbox_limits
        self.times = times
        self._entry_points = entry_points
        self._fixtures = fixtures      # the challenge's sandbox_fixtures.py source, sent with the import
        self._sandbox: Sandbox | None = None
        self.starts = 0
        self.time_used = 0.0
        self._budget_bound = False
        self.timed_out = False
        self.memory_exceeded = False
        self.outputs: list[str] = []

    # -- lifecycle -----------------------------------------------------------

    def open(self) -> None:
        """Start the sandbox and import the submission; raise ImportProblem."""
        if self._sandbox is not None:
            return
        if self.starts > MAX_SANDBOX_RESTARTS:
            raise CandidateAbort("error", "the sandbox crashed too many times; remaining tests were not run")
        self.starts += 1
        try:
            self._sandbox = self.backend.start(self._files, self._sandbox_limits)
        except SandboxFailure as failure:
            raise ImportProblem(f"The sandbox could not start: {failure.message}") from None
        try:
            request = {"op": "import", "entry_points": self._entry_points}
            if self._fixtures:
                request["fixtures"] = self._fixtures
            reply = self._timed_request(request)
        except SandboxFailure as failure:
            self._retire()
            raise ImportProblem(
                self._import_failure_text(failure),
                timed_out=failure.kind == "timeout",
                memory_exceeded=failure.kind == "memory") from None
        try:
            imported = replies.import_reply(reply, self._entry_points)
        except replies.InvalidReply as invalid:
            self._retire()
            raise ImportProblem(f"The sandbox sent an invalid reply to the import of solution.py ({invalid}).") \
                from None
        if imported.raised is not None:
            self._retire()
            line = (imported.raised.where or {}).get("line")
            raise ImportProblem(_import_error_text(imported.raised), line=line,
                                memory_exceeded=imported.raised.is_memory_error)
        missing, not_callable = imported.missing, imported.not_callable
        if missing or not_callable:
            self._retire()
            parts = []
            if missing:
                parts.append("solution.py does not define " + ", ".join(f"`{n}`" for n in missing))
            if not_callable:
                parts.append(", ".join(f"`{n}`" for n in not_callable) + " is not callable")
            raise ImportProblem("; ".join(parts) + ". Check the names against the challenge's prompt.")

    def _import_failure_text(self, failure: SandboxFailure) -> str:
        if failure.kind == "timeout":
            return (f"Importing solution.py took longer than {self.times.call_timeout:g} s. "
                    "Move slow work out of module level.")
        if failure.kind == "protocol":
            return f"The sandbox sent an invalid reply to the import of solution.py ({failure.message})."
        return f"The sandbox died while importing solution.py: {failure.message}."

    def close(self) -> None:
        self._retire()

    def _retire(self) -> None:
        if self._sandbox is not None:
            self._sandbox.close()   # first, so the output drain has read everything
            self.outputs.append(self._sandbox.output())
            self._sandbox = None

    # -- requests --------------------------------------------------------------

    def _timed_request(self, message: dict) -> dict:
        remaining = self.times.total_timeout - self.time_used
        if remaining <= 0:
            self.timed_out = True
            raise CandidateAbort("timeout", f"the total time limit of {self.times.total_timeout:g} s "
                                            "for all tests was used up")
        timeout = min(self.times.call_timeout, remaining)
        self._budget_bound = remaining < self.times.call_timeout
        started = time.monotonic()
        try:
            return self._sandbox.request(message, timeout)
        finally:
            self.time_used += time.monotonic() - started

    def run(self, steps: list[dict]) -> list[Outcome]:
        """Run steps in the sandbox, one checked outcome each; raise
        CandidateAbort if it cannot answer or answers out of shape."""
        try:
            self.open()
        except ImportProblem as problem:
            raise CandidateAbort("error", problem.message) from None
        try:
            reply = self._timed_request({"op": "run", "reset": True, "steps": steps})
        except SandboxFailure as failure:
            self._retire()
            if failure.kind == "timeout":
                self.timed_out = True
                if self._budget_bound:
                    raise CandidateAbort("timeout", f"the total time limit of {self.times.total_timeout:g} s "
                                                    "for all tests was used up", step=failure.step) from None
                raise CandidateAbort("timeout", f"time limit exceeded: no answer within "
                                                f"{self.times.call_timeout:g} s", step=failure.step) from None
            if failure.kind == "memory":
                self.memory_exceeded = True
                raise CandidateAbort("error", f"memory limit exceeded: {failure.message}") from None
            if failure.kind == "protocol":
                raise CandidateAbort("error", f"the sandbox sent an invalid reply ({failure.message})") from None
            raise CandidateAbort("error", f"the sandbox process died: {failure.message}") from None
        try:
            return replies.run_outcomes(reply, len(steps))
        except replies.InvalidReply as invalid:
            self._retire()      # a sandbox that forges replies does not answer the next test
            raise CandidateAbort("error", f"the sandbox sent an invalid reply ({invalid})") from None

    def request(self, message: dict, timeout: float) -> dict:
        """One raw request with its own deadline, outside the tests' time
        budget (benchmarks use it); a failed sandbox is retired and the
        failure re-raised."""
        try:
            self.open()
        except ImportProblem as problem:
            raise CandidateAbort("error", problem.message) from None
        try:
            return self._sandbox.request(message, timeout)
        except SandboxFailure:
            self._retire()
            raise

    def memory_probe(self):
        """The host-side memory probe of the running sandbox, or None."""
        try:
            self.open()
        except ImportProblem as problem:
            raise CandidateAbort("error", problem.message) from None
        return self._sandbox.memory_probe()

    @contextlib.contextmanager
    def paused(self):
        """Freeze the sandbox (if one is running) for the duration."""
        sandbox = self._sandbox
        if sandbox is not None:
            sandbox.pause()
        try:
            yield
        finally:
            if sandbox is not None:
                sandbox.resume()

    def output(self) -> str:
        current = [self._sandbox.output()] if self._sandbox is not None else []
        return "".join(self.outputs + current)


def _import_error_text(raised: Raised) -> str:
    where = raised.where or {}
    location = f" ({where.get('file')}, line {where['line']})" if where.get("line") else ""
    if "builtins.SystemExit" in raised.mro:
        return f"solution.py called sys.exit({raised.message}) while being imported{location}."
    if raised.is_memory_error:
        return f"solution.py ran out of memory while being imported{location}."
    if "builtins.ImportError" in raised.mro:
        return (f"solution.py could not import something: {raised.type_name}: {raised.message}{location}. "
                "Only the standard library and files beside solution.py can be imported.")
    if "builtins.SyntaxError" in raised.mro:
        return f"A file imported by solution.py has a syntax error: {raised.message}{location}."
    return f"solution.py raised {raised.type_name}: {raised.message} while being imported{location}."
