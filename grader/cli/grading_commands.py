"""``grader test`` (quick local feedback) and ``grader submit`` (the full grade)."""

from __future__ import annotations

from pathlib import Path

import click

from grader.catalog import Catalog, Challenge
from grader.cli.context import AppState, pass_state
from grader.constants import EXIT_NOT_PASSING, EXIT_PASS
from grader.errors import ChallengeUndetermined, UsageError
from grader.fileio import write_atomic
from grader.grading import FULL_EXAMPLES, QUICK_EXAMPLES, GradeOptions, grade
from grader.report.model import Report
from grader.report.render import RENDERERS, rich_report
from grader.sandbox.select import NAMES, get_backend
from grader.submission import marker_challenge


def resolve_challenge(catalog: Catalog, path: Path, slug: str | None) -> Challenge:
    """The --challenge option, else the workspace marker, else the folder's name."""
    if slug:
        return catalog.get(slug)
    folder = path.parent if path.is_file() else path
    named = marker_challenge(folder)
    if named:
        return catalog.get(named)
    name = folder.resolve().name
    if name in catalog:
        return catalog.get(name)
    raise ChallengeUndetermined(
        f"Cannot tell which challenge {path} is for: it has no {'.grader.toml'} marker and its folder "
        "name is not a challenge. Pass --challenge SLUG (see `grader list`).")


def run_grade(state: AppState, path: Path, slug: str | None, sandbox: str, seed: int,
              examples: int, quiet: bool, image: str | None = None, complexity: bool = True) -> Report:
    if not path.exists():
        raise UsageError(f"{path} does not exist. Give the folder that holds your solution.py.")
    challenge = resolve_challenge(state.catalog, path, slug)
    backend = get_backend(sandbox, image=image, console=None if quiet else state.err)
    options = GradeOptions(seed=seed, max_examples=examples, complexity=complexity)
    if quiet:
        return grade(path, challenge, backend, options)
    with state.err.status(f"Grading {path} against [bold]{challenge.slug}[/] ({backend.name} sandbox)..."):
        return grade(path, challenge, backend, options)


sandbox_option = click.option("--sandbox", type=click.Choice(NAMES), default="auto", show_default=True,
                              help="Where the submission runs.")
image_option = click.option("--image", metavar="IMAGE", default=None,
                            help="Docker image for the docker sandbox: any image with python3 "
                                 "(default: $GRADER_IMAGE, else python:3.12-slim).")
seed_option = click.option("--seed", type=int, default=0, show_default=True,
                           help="Seed for the hidden tests; the same seed gives the same tests.")
challenge_option = click.option("--challenge", "slug", metavar="SLUG",
                                help="The challenge (default: from the folder's marker or name).")


@click.command()
@click.argument("path", required=False, default=".", type=click.Path(path_type=Path))
@challenge_option
@sandbox_option
@image_option
@seed_option
@click.option("--complexity/--no-complexity", default=False, show_default=True,
              help="Also measure the operations' time against their big-O bounds (a few seconds more).")
@pass_state
def test(state: AppState, path: Path, slug: str | None, sandbox: str, image: str | None, seed: int,
         complexity: bool) -> None:
    """Quick feedback on the submission in PATH (default: this folder):
    fewer examples, and no complexity measurement unless asked."""
    report = run_grade(state, path, slug, sandbox, seed, QUICK_EXAMPLES, quiet=False, image=image,
                       complexity=complexity)
    state.out.print(rich_report(report))
    raise SystemExit(EXIT_PASS if report.passed else EXIT_NOT_PASSING)


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@challenge_option
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True)
@sandbox_option
@image_option
@seed_option
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to this file (atomically) instead of standard output.")
@click.option("--complexity/--no-complexity", default=True, show_default=True,
              help="Measure the operations' time against their big-O bounds once every hidden test passes.")
@pass_state
def submit(state: AppState, path: Path, slug: str | None, fmt: str, sandbox: str, image: str | None, seed: int,
           output: Path | None, complexity: bool) -> None:
    """Grade the submission in PATH: every hidden test, then (when they all
    pass) the complexity checks against the reference."""
    report = run_grade(state, path, slug, sandbox, seed, FULL_EXAMPLES, quiet=fmt == "json" and output is None,
                       image=image, complexity=complexity)
    if output is not None:
        write_atomic(output, RENDERERS[fmt](report))
        state.err.print(f"Report written to {output}: {report.verdict}, score {report.score:.1f}/{report.max_score:g}")
    elif fmt == "text":
        state.out.print(rich_report(report))
    else:
        click.echo(RENDERERS[fmt](report), nl=False)
    raise SystemExit(EXIT_PASS if report.passed else EXIT_NOT_PASSING)
