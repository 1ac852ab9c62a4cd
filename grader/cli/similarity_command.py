"""``grader similarity``: which submissions of a batch share code, for the assessor."""

from __future__ import annotations

from pathlib import Path

import click

from grader.cli.context import AppState, pass_state
from grader.similarity.compare import DEFAULT_THRESHOLD

FORMATS = ("text", "json", "csv")


def known_option(command):
    return click.option("--known", "known_dirs", multiple=True, type=click.Path(path_type=Path, exists=True),
                        help="A folder of known solutions (public, earlier years'), laid out as for PATHS "
                             "(repeatable): matched against, never paired with each other.")(command)


def similarity_option(command):
    return click.option("--similarity", is_flag=True,
                        help="Also report which submissions share code (per challenge, against each other and the "
                             "known solutions): on the terminal, in similarity.json with --output-dir and in the "
                             "HTML page. For the assessor: no candidate's format shows it.")(command)


def similarity_report(state: AppState, found_items: list, store, known_dirs, slug: str | None, shard=None,
                      entries: list | None = None, output_dir: Path | None = None):
    """The batch's SimilarityReport from its stored (or newly stored) fingerprints, shown on stderr.

    With --output-dir, unless standard error is a terminal outside CI, only a count is printed: the table
    names who shares code with whom, a CI job's log is often public, and similarity.json holds it."""
    from grader.similarity.report import build
    from grader.similarity.stored import batch_entries
    if entries is None:
        entries = batch_entries(found_items, store)
    report = build(entries, load_known(state, known_dirs, slug), state.catalog)
    from grader.similarity import render
    if output_dir is not None and not private_terminal():
        flagged = sum(1 for item in report.challenges for pair in item.result.pairs if pair.score >= report.threshold)
        skipped = sum(len(item.skipped) for item in report.challenges)
        missing = f" and {skipped} submission(s) not compared (with why)" if skipped else ""
        state.err.print(f"Similarity: {flagged} pair(s) at or above {report.threshold:g}{missing}, listed with their "
                        f"names in {output_dir / 'similarity.json'} (not printed here: this may be a shared log).",
                        soft_wrap=True, highlight=False, markup=False)
    else:
        state.err.print(render.to_text(report))
    if shard is not None:
        state.err.print(f"(Shard {shard}: only its submissions were compared; `grader merge --similarity` over "
                        "every shard's --db compares the whole batch.)", soft_wrap=True, highlight=False,
                        markup=False)
    return report


def private_terminal() -> bool:
    """Standard error is a terminal and no CI is running (CI is set by GitHub, GitLab and most others).
    Not rich's is_terminal: FORCE_COLOR, which CI jobs set for coloured logs, makes that true."""
    import os
    import sys
    try:
        return sys.stderr.isatty() and not os.environ.get("CI")
    except (AttributeError, ValueError):
        return False


def threshold_option(command):
    return click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=DEFAULT_THRESHOLD,
                        show_default=True,
                        help="A pair scoring at least this is flagged and joins a cluster.")(command)


def load_known(state: AppState, known_dirs, slug: str | None) -> list:
    """The known solutions in ``known_dirs``, each read and fingerprinted, named ``known: PATH``."""
    from grader.batch.discover import discover
    from grader.similarity.report import KNOWN, read_entry
    entries = []
    for folder in known_dirs:
        for found in discover([folder], state.catalog, slug):
            entries.append(read_entry(KNOWN + found.label, found.challenge.slug, found.path))
    return entries


def entries_of(found_items) -> list:
    """Each discovered submission read and fingerprinted; one refused before grading is listed as not compared."""
    from grader.similarity.report import Entry, read_entry
    entries = []
    for found in found_items:
        if found.problem:
            entries.append(Entry(found.label, found.challenge.slug, None, None, "not graded: refused before grading"))
        else:
            entries.append(read_entry(found.label, found.challenge.slug, found.path))
    return entries


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@known_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: a ranked table of pairs and the clusters; json; csv (one row per pair).")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the report to this file (atomically) instead of standard output.")
@threshold_option
@click.option("--challenge", "slug", metavar="SLUG",
              help="The challenge of every submission (default: from the folders' names, as for grade).")
@pass_state
def similarity(state: AppState, paths: tuple[Path, ...], known_dirs: tuple[Path, ...], fmt: str,
               output: Path | None, threshold: float, slug: str | None) -> None:
    """Compare, per challenge, every submission in PATHS with every other and
    with the known solutions (the built-in reference and each --known
    folder), after taking away the challenge's stub; rank the pairs by the
    share of code they have in common. Exit 0 whether or not pairs are found,
    2 for bad input. For the assessor only: it shows candidates' code."""
    from grader.batch.archive import Unpacker
    from grader.batch.discover import discover
    from grader.similarity.report import build

    known = load_known(state, known_dirs, slug)
    unpacker = click.get_current_context().with_resource(Unpacker(lambda name: name in state.catalog))
    found = discover(list(paths), state.catalog, slug, unpacker)
    report = build(entries_of(found), known, state.catalog, threshold=threshold)
    show(state, report, fmt, output)


def show(state: AppState, report, fmt: str, output: Path | None) -> None:
    """Print the report (text through rich, respecting the terminal) or write it."""
    from grader.fileio import write_atomic
    from grader.similarity import render
    if fmt == "text" and output is None:
        state.out.print(render.to_text(report))
        return
    if fmt == "text":
        import io
        from rich.console import Console
        console = Console(file=io.StringIO(), width=120, color_system=None, highlight=False)
        console.print(render.to_text(report))
        text = console.file.getvalue()
    else:
        text = render.to_json(report) if fmt == "json" else render.to_csv(report)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        state.err.print(f"Wrote {output}", soft_wrap=True, highlight=False, markup=False)
