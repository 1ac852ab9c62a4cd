"""``grader merge``: the shards of a batch graded on many CI runners, as one."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from grader.cli.batch_output import check_formats, exit_code, write_outputs
from grader.cli.context import AppState, pass_state
from grader.cli.grading_commands import feedback_level, feedback_option
from grader.cli.similarity_command import known_option, similarity_option, similarity_report
from grader.constants import EXIT_NOT_PASSING
from grader.report.formats import BATCH_FORMATS


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", "target", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also copy every input database into this one (a later `grader grade --db` then finds the "
                   "whole batch graded).")
@click.option("--format", "formats", multiple=True, type=click.Choice(sorted(BATCH_FORMATS)),
              help="Output format (repeatable), as for `grader grade`.")
@click.option("--output-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Write each format's file here.")
@click.option("--min-score", type=click.FloatRange(min=0.0), default=None,
              help="Exit 0 when every score is at least this (default: when every verdict is pass).")
@click.option("--partial", is_flag=True,
              help="Write the outputs even when a shard or some results are missing (the exit code is still 1).")
@click.option("--assessment", "assessment_file", type=click.Path(path_type=Path), default=None,
              help="The assessment the shards were graded under: its feedback level applies, and each "
                   "candidate's weighted total is printed (and written as assessment.csv).")
@feedback_option
@similarity_option
@known_option
@pass_state
def merge(state: AppState, inputs: tuple[Path, ...], target: Path | None, formats: tuple[str, ...],
          output_dir: Path | None, min_score: float | None, partial: bool, assessment_file: Path | None,
          feedback: str | None, similarity: bool, known_dirs: tuple[Path, ...]) -> None:
    """Combine the results of `grader grade --shard I/N` runs: their --db files
    (which also tell whether every shard is there) or their results.jsonl files."""
    from grader.assessment import Assessment
    from grader.batch.assessment_totals import write_totals
    from grader.batch.merge import copy_databases, read_inputs

    formats = check_formats(formats, output_dir)
    assessment = Assessment.load(assessment_file, state.catalog) if assessment_file else None
    merged = read_inputs(list(inputs))
    problems = []
    missing = merged.missing_shards()
    if missing:
        problems.append(f"shard(s) {', '.join(missing)} missing")
    if len(merged.totals) > 1:
        problems.append(f"the shards saw batches of different sizes ({', '.join(map(str, sorted(merged.totals)))}): "
                        "were they run on the same checkout?")
    elif merged.totals and not missing and len(merged.items) < max(merged.totals):
        problems.append(f"{max(merged.totals) - len(merged.items)} of {max(merged.totals)} submissions have no "
                        "result (not graded, or the run was interrupted)")
    if merged.conflicts:
        problems.append("inputs disagree about " + ", ".join(merged.conflicts[:5]))
    for problem in problems:
        state.err.print(f"[bold red]merge:[/] {escape(problem)}.", soft_wrap=True, highlight=False)
    if problems and not partial:
        state.err.print("Nothing written. Re-run the missing shards (they resume from their databases), or "
                        "pass --partial to write what is there.", soft_wrap=True, highlight=False)
        raise SystemExit(EXIT_NOT_PASSING)
    if target is not None:
        copy_databases(merged.databases, target)
        state.err.print(f"Wrote {target}", soft_wrap=True, highlight=False, markup=False)
    items = merged.sorted_items()
    shared = None
    if similarity:
        from grader.similarity.stored import merged_entries
        shared = similarity_report(state, [], None, known_dirs, None,
                                   entries=merged_entries(items, merged.content_keys, merged.databases),
                                   output_dir=output_dir)
    write_outputs(state.err, formats, output_dir, items, feedback_level(feedback, assessment), shared)
    if assessment is not None:
        write_totals(state.err, items, assessment, output_dir)
    passing = sum(1 for _, report in items if report["verdict"] == "pass")
    state.err.print(f"Merged {len(inputs)} input(s): {len(items)} submissions, {passing} pass.",
                    soft_wrap=True, highlight=False)
    raise SystemExit(EXIT_NOT_PASSING if problems else exit_code(items, min_score))
