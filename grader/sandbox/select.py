"""Picking a sandbox backend by name; the harness never picks one itself."""

from __future__ import annotations

import os
import sys

from grader.errors import UsageError
from grader.sandbox.base import Backend

NAMES = ("auto", "process", "docker")


def get_backend(name: str, image: str | None = None, console=None) -> Backend:
    """``process``; ``docker`` (reaches the engine and pulls a missing image,
    with a progress bar on ``console``, or raises SandboxUnavailable saying
    what to do); ``auto``: docker when an engine answers and already holds the
    image, else process (saying why when an image was named)."""
    if name == "process":
        from grader.sandbox.process import ProcessBackend
        return ProcessBackend()
    if name == "docker":
        from grader.sandbox.docker import DockerBackend
        backend = DockerBackend(image)
        backend.prepare(pull=True, console=console)
        return backend
    if name == "auto":
        from grader.sandbox import docker
        why_not = docker.why_not_usable(image)
        if not why_not:
            return docker.DockerBackend(image)
        if image or os.environ.get(docker.IMAGE_ENV):   # an image asked for by name: never dropped silently
            _notice(console, f"note: {why_not}, so the process sandbox is used; pass --sandbox docker to "
                             "insist (it pulls a missing image).")
        from grader.sandbox.process import ProcessBackend
        return ProcessBackend()
    raise UsageError(f"Unknown sandbox '{name}'. Choose one of: {', '.join(NAMES)}.")


def _notice(console, message: str) -> None:
    """On ``console``, or on stderr when the caller shows no progress there."""
    if console is not None:
        console.print(message, soft_wrap=True, highlight=False, markup=False)
    else:
        print(message, file=sys.stderr)
