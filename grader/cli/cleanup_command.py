"""``grader cleanup``: remove what graders that are gone left behind: their
Docker containers and their process sandboxes' temporary folders."""

from __future__ import annotations

import tempfile

import click

from grader.cli.context import AppState, pass_state
from grader.errors import SandboxUnavailable


def _names(paths) -> str:
    return ", ".join(path.name for path in paths)


@click.command()
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
@pass_state
def cleanup(state: AppState, dry_run: bool) -> None:
    """Remove the Docker containers (label grader.managed=1) and the process
    sandboxes' temporary folders (grader-sandbox-* in the temporary folder)
    whose grader has ended, for instance ones left by a grader that was
    killed. A running grader's containers and folders are kept."""
    from grader.sandbox import scratch
    folder = tempfile.gettempdir()
    leftovers = scratch.remove_stale(dry_run=dry_run)
    verb = "Would remove" if dry_run else "Removed"
    if leftovers.removed:
        state.out.print(f"{verb} {len(leftovers.removed)} stale sandbox folder(s) from {folder}: "
                        f"{_names(leftovers.removed)}", soft_wrap=True, highlight=False, markup=False)
    if leftovers.live:
        state.out.print(f"Kept {len(leftovers.live)} sandbox folder(s) of graders still running: "
                        f"{_names(leftovers.live)}", soft_wrap=True, highlight=False, markup=False)
    if leftovers.unknown:
        state.err.print(f"Kept {len(leftovers.unknown)} sandbox folder(s) that do not name their grader (made "
                        f"by an older version): {', '.join(map(str, leftovers.unknown))}; remove them by hand "
                        "once no older grader is running.", soft_wrap=True, highlight=False, markup=False)
    if leftovers.failed:
        state.err.print(f"Could not remove {len(leftovers.failed)} sandbox folder(s): "
                        f"{', '.join(map(str, leftovers.failed))}", soft_wrap=True, highlight=False, markup=False)

    removed_containers: list[str] = []
    kept_containers: list[str] = []
    docker_problem = None
    try:
        from grader.sandbox import docker as docker_sandbox
        client = docker_sandbox.connect()
    except SandboxUnavailable as exc:
        state.err.print(f"Docker was not reachable, so no container was looked for: {exc}",
                        soft_wrap=True, highlight=False, markup=False)
    else:
        try:
            removed_containers, kept_containers = docker_sandbox.remove_managed_containers(client, dry_run=dry_run)
        except SandboxUnavailable as exc:
            docker_problem = exc
        if removed_containers:
            state.out.print(f"{verb} {len(removed_containers)} container(s): {', '.join(removed_containers)}",
                            markup=False)
        elif docker_problem is None:
            state.out.print("No grader container was left.")
        if kept_containers:
            state.out.print(f"Kept {len(kept_containers)} container(s) of graders still running or of another "
                            f"host: {', '.join(kept_containers)}", markup=False)

    if not leftovers.removed:
        nothing = "" if removed_containers else ": nothing to remove"
        state.out.print(f"No stale sandbox folder was left in {folder}{nothing}.", soft_wrap=True, highlight=False, markup=False)
    if docker_problem is not None:
        raise docker_problem
    if leftovers.failed:
        raise SystemExit(1)
