"""The interface every sandbox backend implements.

A backend starts sandboxes; a sandbox answers JSON requests through the agent
and can be closed. The harness is handed a backend and never picks one.
Everything that goes wrong inside a sandbox surfaces as ``SandboxFailure``
with a ``kind`` the report understands.
"""

from __future__ import annotations

import abc
import dataclasses
from typing import Mapping


@dataclasses.dataclass(frozen=True)
class SandboxLimits:
    """What one sandbox may use."""

    memory_mb: int
    cpu_seconds: int


class SandboxFailure(Exception):
    """The sandbox could not answer: it timed out, crashed, or broke the protocol.

    ``kind`` is one of ``timeout``, ``memory``, ``crashed``, ``protocol``.
    """

    def __init__(self, kind: str, message: str, *, step: int | None = None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.step = step        # for a time-out: the index of the step that had started, if known


class Sandbox(abc.ABC):
    """One running agent with the submission importable in its working folder."""

    @abc.abstractmethod
    def request(self, message: dict, timeout: float) -> dict:
        """Send one request and wait at most ``timeout`` seconds (measured here,
        on the host) for the reply; raise ``SandboxFailure`` otherwise. After a
        failure the sandbox is dead and only ``close`` may be called."""

    def pause(self) -> None:
        """Stop every process of the sandbox until ``resume`` (so that, while
        the reference is timed, a submission's background processes cannot
        steal its CPU). Backends whose sandboxes have their own CPU quota may
        leave this a no-op."""

    def resume(self) -> None:
        """Let the processes stopped by ``pause`` run again."""

    def memory_probe(self):
        """A ``grader.sandbox.memory.PeakMemory`` for the agent's process,
        measured from the host; None where the host cannot see it (then
        space cannot be checked)."""
        return None

    @abc.abstractmethod
    def output(self) -> str:
        """What the submission printed so far (capped)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Kill everything the sandbox started and remove its files."""

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class Backend(abc.ABC):
    """Starts sandboxes of one kind (``process``, ``docker``)."""

    name: str

    @abc.abstractmethod
    def start(self, files: Mapping[str, bytes], limits: SandboxLimits) -> Sandbox:
        """Start a sandbox whose private working folder holds ``files``
        (relative path -> content), already checked by ``grader.submission``."""

    @abc.abstractmethod
    def protections(self, limits: SandboxLimits) -> list[str]:
        """Plain-words list of what this backend enforces, for the report."""
