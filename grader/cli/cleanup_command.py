"""``grader cleanup``: remove every container the grader started."""

from __future__ import annotations

import click

from grader.cli.context import AppState, pass_state


@click.command()
@pass_state
def cleanup(state: AppState) -> None:
    """Remove every Docker container the grader started (label grader.managed=1),
    for instance ones left by a grader that was killed."""
    from grader.sandbox import docker as docker_sandbox
    client = docker_sandbox.connect()
    removed = docker_sandbox.remove_managed_containers(client)
    if removed:
        state.out.print(f"Removed {len(removed)} container(s): {', '.join(removed)}")
    else:
        state.out.print("No grader container was left: nothing to remove.")
