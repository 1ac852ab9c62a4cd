"""What ``grader grade`` and ``grader merge`` both do with a finished batch:
write the formats and turn the scores into an exit code."""

from __future__ import annotations

import os
from pathlib import Path

import click

from grader.constants import EXIT_NOT_PASSING, EXIT_PASS
from grader.errors import UsageError
from grader.fileio import write_atomic
from grader.report.formats import BATCH_FORMATS, FILE_NAMES, github_summary
from grader.signing import publish

SIMILARITY_FILE = "similarity.json"


def check_formats(formats: tuple[str, ...], output_dir: Path | None) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(formats))
    if output_dir is None and len(formats) > 1:
        raise UsageError("Several formats need --output-dir DIR: only one can go to standard output.")
    return formats


def write_outputs(err, formats: tuple[str, ...], output_dir: Path | None, items: list,
                  feedback: str = "full", similarity=None) -> None:
    """Files atomically into --output-dir; without it, the one format on
    stdout. GitHub annotations always go to stdout, where the runner reads them.
    Every format gets the reports as shown at the ``feedback`` level, with
    their submission's label, signed when $GRADER_SIGNING_KEY is set.
    ``similarity`` (a SimilarityReport, the assessor's view only) goes into
    the HTML page and, with --output-dir, similarity.json; no other format."""
    items = [(label, publish(report, feedback, label)) for label, report in items]
    if similarity is not None and output_dir is not None:
        from grader.similarity.render import to_json
        write_atomic(output_dir / SIMILARITY_FILE, to_json(similarity))
        err.print(f"Wrote {output_dir / SIMILARITY_FILE}", soft_wrap=True, highlight=False, markup=False)
    for fmt in formats:
        if fmt == "html" and similarity is not None:
            text = BATCH_FORMATS[fmt](items, similarity=similarity)
        else:
            text = BATCH_FORMATS[fmt](items)
        if fmt == "github":
            click.echo(text, nl=False)
            summary = os.environ.get("GITHUB_STEP_SUMMARY")
            if summary:
                with open(summary, "a", encoding="utf-8") as handle:
                    handle.write(github_summary(items))
        elif output_dir is not None:
            write_atomic(output_dir / FILE_NAMES[fmt], text)
            err.print(f"Wrote {output_dir / FILE_NAMES[fmt]}", soft_wrap=True, highlight=False, markup=False)
        else:
            click.echo(text, nl=False)


def exit_code(items: list, min_score: float | None) -> int:
    """0 when every verdict is pass (or with --min-score, every score reaches it).
    A --min-score no report could reach is a mistake of the command, said so."""
    if min_score is not None:
        highest = max((float(report.get("max_score") or 0) for _, report in items), default=0.0)
        if items and min_score > highest:
            raise UsageError(f"--min-score {min_score:g} is more than any of these scores can be (at most "
                             f"{highest:g}); give a score between 0 and {highest:g}.")
        ok = all(report["score"] >= min_score for _, report in items)
    else:
        ok = all(report["verdict"] == "pass" for _, report in items)
    return EXIT_PASS if ok else EXIT_NOT_PASSING
