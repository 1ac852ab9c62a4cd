"""``grader doctor``: what this machine can sandbox with, and how well."""

from __future__ import annotations

import os
import platform
import sys

import click
from rich.table import Table
from rich.text import Text

from grader.cli.grading_commands import image_name
from grader.cli.context import AppState, pass_state
from grader.constants import DEFAULT_CPU_SECONDS, DEFAULT_MEMORY_MB
from grader.errors import SandboxUnavailable
from grader.sandbox import bubblewrap
from grader.sandbox.base import SandboxLimits

OK = Text("ok", "bold green")
NO = Text("no", "bold red")


@click.command()
@click.option("--image", metavar="IMAGE", default=None, callback=image_name,
              help="The Docker image to check (default: $GRADER_IMAGE, else python:3.12-slim).")
@pass_state
def doctor(state: AppState, image: str | None) -> None:
    """Report the sandboxes available here: Docker engine and image,
    bubblewrap, and the protections each backend applies."""
    from grader.sandbox import docker as docker_sandbox
    from grader.sandbox.process import ProcessBackend

    image = docker_sandbox.configured_image(image)
    limits = SandboxLimits(memory_mb=DEFAULT_MEMORY_MB, cpu_seconds=DEFAULT_CPU_SECONDS)
    table = Table("check", "", "detail", header_style="bold", show_lines=False)
    table.add_row("python", OK, f"{platform.python_version()} ({os.path.realpath(sys.executable)})")

    engine_ok = image_ok = False
    backend = docker_sandbox.DockerBackend(image)
    try:
        client = backend.client()
        version = client.api.version()
        engine_ok = True
        table.add_row("docker engine", OK, f"Docker {version.get('Version', '?')} (API {version.get('ApiVersion', '?')}) "
                                           f"at {docker_sandbox._engine_address()}")
    except SandboxUnavailable as exc:
        table.add_row("docker engine", NO, Text(str(exc)))
    if engine_ok:
        try:
            image_ok = backend.image_present()
        except SandboxUnavailable as exc:
            table.add_row("docker image", NO, Text(str(exc)))
        else:
            if image_ok:
                table.add_row("docker image", OK, Text(f"{image} is present"))
            else:
                table.add_row("docker image", NO, Text(f"{image} is missing: `docker pull {image}` (or "
                                                       "`grader submit --sandbox docker`, which pulls it); offline: "
                                                       "`docker load -i image.tar`, or any local image with python3 "
                                                       "via --image / GRADER_IMAGE (README: Offline use)"))
        try:
            managed = docker_sandbox.managed_containers(client)
        except SandboxUnavailable:
            managed = []
        # Another grader's live containers are not leftovers: only those whose grader is gone.
        leftovers = [c for c in managed if docker_sandbox.owner_gone(c)]
        if leftovers:
            table.add_row("leftover containers", NO, f"{len(leftovers)} container(s) of graders that have ended: "
                                                      "remove them with `grader cleanup`")
        else:
            running = len(managed) - len(leftovers)
            table.add_row("leftover containers", OK, "none" + (f" ({running} of graders still running)"
                                                               if running else ""))
    bwrap = bubblewrap.usable()
    table.add_row("bubblewrap", OK if bwrap else NO,
                  "usable: the process sandbox isolates network and files" if bwrap else
                  "not usable: install it (apt-get install bubblewrap) for a stronger process sandbox")
    auto = "docker" if engine_ok and image_ok else "process"
    table.add_row("--sandbox auto", OK, f"uses the {auto} sandbox")
    state.out.print(table)

    process = ProcessBackend()
    state.out.print("\n[bold]process sandbox[/] protections:")
    for line in process.protections(limits):
        state.out.print(f"  - {line}", soft_wrap=True, markup=False)
    state.out.print("\n[bold]docker sandbox[/] protections" + ("" if engine_ok and image_ok else " (once available)")
                    + ":")
    for line in docker_sandbox.protections(limits, image):
        state.out.print(f"  - {line}", soft_wrap=True, markup=False)
