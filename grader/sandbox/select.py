"""Picking a sandbox backend by name; the harness never picks one itself."""

from __future__ import annotations

from grader.errors import UsageError
from grader.sandbox.base import Backend

NAMES = ("auto", "process", "docker")


def get_backend(name: str, image: str | None = None, console=None) -> Backend:
    """``process``; ``docker`` (reaches the engine and pulls a missing image,
    with a progress bar on ``console``, or raises SandboxUnavailable saying
    what to do); ``auto``: docker when an engine answers and already holds the
    image, else process."""
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
        if docker.engine_and_image_present(image):
            return docker.DockerBackend(image)
        from grader.sandbox.process import ProcessBackend
        return ProcessBackend()
    raise UsageError(f"Unknown sandbox '{name}'. Choose one of: {', '.join(NAMES)}.")
