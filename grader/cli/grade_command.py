"""``grader grade``: many submissions, in parallel, resumable, in CI formats."""

from __future__ import annotations

import time
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import (BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)

from grader.cli.context import AppState, pass_state
from grader.cli.grading_commands import (assessment_option, challenge_option, effective_seed, feedback_level,
                                         feedback_option, image_option, load_assessment, sandbox_option, seed_option)
from grader.cli.batch_output import check_formats, exit_code, write_outputs
from grader.cli.interrupts import announce_interrupted
from grader.cli.similarity_command import known_option, similarity_option, similarity_report
from grader.constants import EXIT_INTERNAL
from grader.grading import FULL_EXAMPLES, GradeOptions
from grader.report.formats import BATCH_FORMATS

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
                slug = escape(event.found.challenge.slug)
                self.rows[label] = self.progress.add_task(f"  {escape(label)} [dim]({slug})[/]",
                                                          total=None, status="grading")
            return
        if self.progress and label in self.rows:
            self.progress.remove_task(self.rows.pop(label))
        if event.kind == "finished":
            report = event.report
            style = VERDICT_STYLE.get(report["verdict"], "")
            self.console.print(f"[{style}]{report['verdict']:5}[/] {report['score']:6.1f}/{report['max_score']:g}  "
                               f"{escape(label)}  ({escape(report['challenge'])}, {event.seconds:.1f}s)",
                               soft_wrap=True, highlight=False)
        else:
            self.console.print(f"[bold red]not graded[/] {escape(label)}: {escape(event.message)}", soft_wrap=True,
                               highlight=False)
        if self.progress:
            self.progress.advance(self.overall)
            done = int(self.progress.tasks[self.overall].completed)
            self.progress.update(self.overall, status=f"{done}/{self.total}")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Submissions graded at once, each in its own worker process  [default: the number of cores]")
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), default=Path("grader-results.db"),
              show_default=True, help="SQLite file of results: each one is saved as it finishes, and a re-run "
                                      "grades only what is missing.")
@click.option("--force", is_flag=True, help="Grade again even what the database already holds.")
@click.option("--format", "formats", multiple=True, type=click.Choice(sorted(BATCH_FORMATS)),
              help="Output format (repeatable): jsonl, junit, csv, github, gradescope, html.")
@click.option("--output-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Write each format's file here (results.jsonl, junit.xml, results.csv, results.json for "
                   "gradescope, report.html).")
@click.option("--min-score", type=click.FloatRange(min=0.0), default=None,
              help="Exit 0 when every score is at least this (default: when every verdict is pass).")
@click.option("--shard", metavar="I/N", default=None,
              help="Grade only the I-th of N deterministic slices (a CI matrix of N runners); "
                   "combine the shards' databases with `grader merge`.")
@challenge_option
@sandbox_option
@image_option
@seed_option
@click.option("--complexity/--no-complexity", default=True, show_default=True,
              help="Measure the operations' time against their big-O bounds once every hidden test passes.")
@assessment_option
@feedback_option
@similarity_option
@known_option
@pass_state
def grade(state: AppState, paths: tuple[Path, ...], jobs: int | None, db: Path, force: bool,
          formats: tuple[str, ...], output_dir: Path | None, min_score: float | None, shard: str | None,
          slug: str | None, sandbox: str, image: str | None, seed: int, complexity: bool,
          assessment_file: Path | None, feedback: str | None, similarity: bool, known_dirs: tuple[Path, ...]) -> None:
    """Grade every submission in PATHS: submission folders, repositories of
    <slug>/solution.py folders, or folders of candidates' folders; a .zip
    (a PATH, or in such a folder) is the folder it holds, unpacked safely."""
    from grader.assessment import ignored_inside, ignored_warning
    from grader.batch.archive import Unpacker, is_zip
    from grader.batch.assessment_totals import with_assessment, write_totals
    from grader.batch.discover import discover
    from grader.batch.run import default_jobs, plan, run_batch
    from grader.batch.shard import parse_shard, select
    from grader.batch.store import Store
    from grader.sandbox.select import get_backend

    formats = check_formats(formats, output_dir)
    shard_spec = parse_shard(shard) if shard else None
    assessment = load_assessment(state, list(paths), assessment_file, feedback, outside=True)
    # Zips are unpacked into a private temporary folder, removed when the command ends (also on Ctrl-C).
    from grader.sandbox.scratch import remove_stale
    remove_stale()      # a killed grader's folders (unpacked zips: candidates' code); never a live one's
    unpacker = click.get_current_context().with_resource(Unpacker(lambda name: name in state.catalog))
    discovered = discover(list(paths), state.catalog, slug, unpacker, tuple(assessment.slugs) if assessment else ())
    if assessment_file is None:
        ignored = ignored_inside([path for path in paths if not is_zip(path)], [item.path for item in discovered])
        ignored += unpacker.ignored
        if ignored:
            state.err.print(ignored_warning(ignored), soft_wrap=True, highlight=False, markup=False)
    everything = with_assessment(state.err, assessment, discovered)
    found = select(everything, shard_spec)
    if not found:
        state.err.print(f"Shard {shard_spec} of {len(everything)} submission(s) is empty: nothing to grade.")
    options = GradeOptions(seed=effective_seed(seed, assessment), max_examples=FULL_EXAMPLES, complexity=complexity,
                           assessment=assessment.stamp() if assessment is not None else None)
    jobs = jobs or default_jobs()
    started = time.monotonic()
    with Store(db) as store:
        work = plan(found, store, options, force=force)
        store.record_run(str(shard_spec or "1/1"), len(everything), len(found), work.settings)
        count = sum(len(indexes) for indexes in work.to_grade.values())
        in_shard = f" (shard {shard_spec} of {len(everything)})" if shard_spec else ""
        state.err.print(f"{len(found)} submission(s){in_shard}; {len(work.reports)} already graded in {db}; "
                        f"grading {count} with {min(jobs, max(1, len(work.to_grade)))} job(s).",
                        soft_wrap=True, highlight=False, markup=False)
        backend_name = sandbox
        if work.to_grade:
            backend_name = get_backend(sandbox, image=image, console=state.err).name
        try:
            with Display(state.err, count) as display:
                result = run_batch(work, store, options, sandbox=backend_name, image=image, jobs=jobs,
                                   on_event=display)
        except KeyboardInterrupt:
            announce_interrupted(state.err, f"Every finished result is saved in {db}; run the same command "
                                            "again to grade the rest.")
            raise   # main() exits 130
        # Every run stores its submissions' fingerprints, so `grader merge --similarity` works on any shards.
        from grader.similarity.stored import batch_entries
        entries = batch_entries([found_item for found_item, _ in result.results], store)
        shared = None
        if similarity:
            shared = similarity_report(state, [], store, known_dirs, slug, shard_spec, entries=entries,
                                       output_dir=output_dir)
    items = [(found_item.label, report) for found_item, report in result.results]
    write_outputs(state.err, formats, output_dir, items, feedback_level(feedback, assessment), shared)
    passing = sum(1 for _, report in items if report["verdict"] == "pass")
    state.err.print(f"Done in {time.monotonic() - started:.1f}s: {result.graded} graded now, {result.stored} from "
                    f"{db}; {passing} of {len(items)} pass.", soft_wrap=True, highlight=False, markup=False)
    if assessment is not None and shard_spec is None:   # a shard holds only some candidates' work
        write_totals(state.err, items, assessment, output_dir)
    if result.failures:
        state.err.print(f"[bold red]{len(result.failures)} submission(s) could not be graded[/] (a grader problem, "
                        "not the submission's; nothing was stored for them, so a re-run retries them).")
        raise SystemExit(EXIT_INTERNAL)
    raise SystemExit(exit_code(items, min_score))
