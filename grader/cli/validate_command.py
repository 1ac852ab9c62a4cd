"""``grader validate``: every challenge's reference, mutants and stub."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from grader.cli.context import AppState, pass_state
from grader.constants import EXIT_NOT_PASSING, EXIT_PASS
from grader.sandbox.select import NAMES
from grader.validation_pool import validate_all


@click.command()
@click.argument("slugs", nargs=-1, metavar="[SLUG]...")
@click.option("--sandbox", type=click.Choice(NAMES), default="process", show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="The first seed.")
@click.option("--seeds", type=click.IntRange(1, 100), default=1, show_default=True,
              help="Grade the reference and every mutant under this many seeds (SEED, SEED+1, ...); "
                   "a mutant that survives any of them is a problem.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Validate this many challenges at once, each in its own process.")
@pass_state
def validate(state: AppState, slugs: tuple[str, ...], sandbox: str, seed: int, seeds: int, jobs: int) -> None:
    """Check that each reference passes, each mutant is caught and each stub
    fails cleanly (all challenges when no SLUG is given), under every seed
    tried."""
    problems = state.catalog.problems
    # A named challenge whose challenge.toml is refused is a problem row too, not a stop (exit 2).
    broken = [(s, problems[s]) for s in (slugs or sorted(problems)) if s in problems]
    challenges = [state.catalog.get(s) for s in slugs if s not in problems] if slugs else state.catalog.all()
    table = Table("challenge", "subject", "result", "detail", header_style="bold")
    failed: list[tuple[str, str, str]] = [(slug, "challenge.toml", str(problem)) for slug, problem in broken]
    for slug, _, problem in failed:
        table.add_row(Text(slug), "challenge.toml", Text("FAILED", "bold red"), Text(problem))
    with state.err.status("Validating...") as status:
        started = lambda slug: status.update(f"Validating {escape(slug)}...")  # noqa: E731
        for challenge, checks in validate_all(challenges, sandbox, seed, seeds, jobs, started):
            if isinstance(checks, str):    # an InternalError: e.g. a hidden-test file that does not import
                failed.append((challenge.slug, "hidden tests", checks[:400]))
                table.add_row(Text(challenge.slug), "hidden tests", Text("FAILED", "bold red"), Text(checks[:400]))
                continue
            for check in checks:   # Text, not markup: details quote tests, mutants and paths
                if not check.ok:
                    failed.append((check.challenge, check.subject, check.detail[:400]))
                table.add_row(Text(check.challenge), Text(check.subject),
                              Text("ok", "green") if check.ok else Text("FAILED", "bold red"),
                              Text(check.detail[:400]))
    state.out.print(table)
    # The problems again, last, a line each: a CI log's tail (or a narrow terminal) shows them.
    for slug, subject, detail in failed:
        state.out.print(Text(f"FAILED {slug} {subject}: {detail}", "bold red"), soft_wrap=True)
    state.out.print(f"{len(challenges) + len(broken)} challenge(s), {len(failed)} problem(s).")
    raise SystemExit(EXIT_PASS if not failed else EXIT_NOT_PASSING)
