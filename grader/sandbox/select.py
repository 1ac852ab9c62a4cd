"""Picking a sandbox backend by name; the harness never picks one itself."""

from __future__ import annotations

from grader.errors import SandboxUnavailable, UsageError
from grader.sandbox.base import Backend

NAMES = ("auto", "process", "docker")


def get_backend(name: str) -> Backend:
    if name in ("auto", "process"):
        from grader.sandbox.process import ProcessBackend
        return ProcessBackend()
    if name == "docker":
        raise SandboxUnavailable(
            "The Docker sandbox is not available in this version of grader. "
            "Use --sandbox process (the default) for now.")
    raise UsageError(f"Unknown sandbox '{name}'. Choose one of: {', '.join(NAMES)}.")
