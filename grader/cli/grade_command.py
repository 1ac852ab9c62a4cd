"""``grader grade``: many submissions, in parallel, resumable, in CI formats."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click
from rich.progress import (BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)

from grader.cli.context import AppState, pass_state
from grader.cli.grading_commands import challenge_option, image_option, sandbox_option, seed_option
from grader.constants import EXIT_INTERNAL, EXIT_NOT_PASSING, EXIT_PASS
from grader.errors import UsageError
from grader.fileio import write_atomic
from grader.grading import FULL_EXAMPLES, GradeOptions
from grader.report.formats import BATCH_FORMATS, FILE_NAMES, github_summary

VERDICT_STYLE = {"pass": "green", "fail": "red", "error": "magenta"}


class Display:
    """Progress on a terminal (a bar with ETA and a row per submission being
    graded); one plain line per finished submission anywhere else."""

    def __init__(self, console, total: int):
        self.console = console
        self.progress = None
        self.rows: dict[str, int] = {}
        if console.is_terminal:
            self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                     TextColumn("{task.fields[status]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                                     console=console, transient=True)
            self.total = total
            self.overall = self.progress.add_task("[bold]graded", total=total, status=f"0/{total}")

    def __enter__(self):
        if self.progress:
            self.progress.start()
        return self

    def __exit__(self, *exc):
        if self.progress:
            self.progress.stop()

    def __call__(self, event) -> None:
        label = event.found.label
        if event.kind == "started":
            if self.progress and label not in self.rows:
                self.rows[label] = self.progress.add_task(f"  {label} [dim]({event.found.challenge.slug})[/]",
                                                          total=None, status="grading")
            return
        if self.progress and label in self.rows:
            self.progress.remove_task(self.rows.pop(label))
        if event.kind == "finished":
            report = event.report
            style = VERDICT_STYLE.get(report["verdict"], "")
            self.console.print(f"[{style}]{report['verdict']:5}[/] {report['score']:6.1f}/{report['max_score']:g}  "
                               f"{label}  ({report['challenge']}, {event.seconds:.1f}s)",
                               soft_wrap=True, highlight=False)
        else:
            self.console.print(f"[bold red]not graded[/] {label}: {event.message}", soft_wrap=True, highlight=False)
        if self.progress:
            self.progress.advance(self.overall)
            done = int(self.progress.tasks[self.overall].completed)
            self.progress.update(self.overall, status=f"{done}/{self.total}")


def _write_outputs(state: AppState, formats: tuple[str, ...], output_dir: Path | None, items: list) -> None:
    """Files atomically into --output-dir; without it, the one format on
    stdout. GitHub annotations always go to stdout, where the runner reads them."""
    for fmt in formats:
        text = BATCH_FORMATS[fmt](items)
        if fmt == "github":
            click.echo(text, nl=False)
            summary = os.environ.get("GITHUB_STEP_SUMMARY")
            if summary:
                with open(summary, "a", encoding="utf-8") as handle:
                    handle.write(github_summary(items))
        elif output_dir is not None:
            write_atomic(output_dir / FILE_NAMES[fmt], text)
            state.err.print(f"Wrote {output_dir / FILE_NAMES[fmt]}", soft_wrap=True, highlight=False)
        else:
            click.echo(text, nl=False)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Submissions graded at once, each in its own worker process  [default: the number of cores]")
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), default=Path("grader-results.db"),
              show_default=True, help="SQLite file of results: each one is saved as it finishes, and a re-run "
                                      "grades only what is missing.")
@click.option("--force", is_flag=True, help="Grade again even what the database already holds.")
@click.option("--format", "formats", multiple=True, type=click.Choice(sorted(BATCH_FORMATS)),
              help="Output format (repeatable): jsonl, junit, csv, github.")
@click.option("--output-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Write each format's file here (results.jsonl, junit.xml, results.csv).")
@click.option("--min-score", type=float, default=None,
              help="Exit 0 when every score is at least this (default: when every verdict is pass).")
@challenge_option
@sandbox_option
@image_option
@seed_option
@click.option("--complexity/--no-complexity", default=True, show_default=True,
              help="Measure the operations' time against their big-O bounds once every hidden test passes.")
@pass_state
def grade(state: AppState, paths: tuple[Path, ...], jobs: int | None, db: Path, force: bool,
          formats: tuple[str, ...], output_dir: Path | None, min_score: float | None, slug: str | None,
          sandbox: str, image: str | None, seed: int, complexity: bool) -> None:
    """Grade every submission in PATHS: submission folders, repositories of
    <slug>/solution.py folders, or folders of candidates' folders."""
    from grader.batch.discover import discover
    from grader.batch.run import default_jobs, plan, run_batch
    from grader.batch.store import Store
    from grader.sandbox.select import get_backend

    formats = tuple(dict.fromkeys(formats))
    if output_dir is None and len(formats) > 1:
        raise UsageError("Several formats need --output-dir DIR: only one can go to standard output.")
    found = discover(list(paths), state.catalog, slug)
    options = GradeOptions(seed=seed, max_examples=FULL_EXAMPLES, complexity=complexity)
    jobs = jobs or default_jobs()
    started = time.monotonic()
    with Store(db) as store:
        work = plan(found, store, options, force=force)
        count = sum(len(indexes) for indexes in work.to_grade.values())
        state.err.print(f"{len(found)} submission(s); {len(work.reports)} already graded in {db}; "
                        f"grading {count} with {min(jobs, max(1, len(work.to_grade)))} job(s).",
                        soft_wrap=True, highlight=False)
        backend_name = sandbox
        if work.to_grade:
            backend_name = get_backend(sandbox, image=image, console=state.err).name
        try:
            with Display(state.err, len(work.to_grade)) as display:
                result = run_batch(work, store, options, sandbox=backend_name, image=image, jobs=jobs,
                                   on_event=display)
        except KeyboardInterrupt:
            state.err.print(f"Interrupted. Every finished result is saved in {db}; run the same command again "
                            "to grade the rest.", soft_wrap=True, highlight=False)
            raise SystemExit(130) from None
    items = [(found_item.label, report) for found_item, report in result.results]
    _write_outputs(state, formats, output_dir, items)
    passing = sum(1 for _, report in items if report["verdict"] == "pass")
    state.err.print(f"Done in {time.monotonic() - started:.1f}s: {result.graded} graded now, {result.stored} from "
                    f"{db}; {passing} of {len(items)} pass.", soft_wrap=True, highlight=False)
    if result.failures:
        state.err.print(f"[bold red]{len(result.failures)} submission(s) could not be graded[/] (a grader problem, "
                        "not the submission's; nothing was stored for them, so a re-run retries them).")
        raise SystemExit(EXIT_INTERNAL)
    if min_score is not None:
        ok = all(report["score"] >= min_score for _, report in items)
    else:
        ok = passing == len(items)
    raise SystemExit(EXIT_PASS if ok else EXIT_NOT_PASSING)
