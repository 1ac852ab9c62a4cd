"""``grader kit``: what a candidate is given for a take-home assessment."""

from __future__ import annotations

from pathlib import Path

import click

from grader.assessment import Assessment
from grader.cli.context import AppState, pass_state


@click.command()
@click.argument("assessment_file", metavar="ASSESSMENT", type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path),
              help="The kit: a folder, or a .zip file when the name ends with .zip.")
@click.option("--force", is_flag=True, help="Replace an existing zip, or write into a folder that is not empty.")
@pass_state
def kit(state: AppState, assessment_file: Path, output: Path, force: bool) -> None:
    """Write a candidate's kit for the ASSESSMENT file (grader.toml): the
    file itself (with $GRADER_SIGNING_KEY set, signed on its last line), a
    README with instructions, and per challenge its prompt, stub and marker.
    Hidden tests, benchmarks and references stay out."""
    from grader.kit import kit_files, write_kit
    from grader.signing import ENV_VAR, key_id, signing_key

    assessment = Assessment.load(assessment_file, state.catalog)
    written = write_kit(assessment, output, force=force)
    count = len(kit_files(assessment))
    key = signing_key()
    signed = (f"its grader.toml is signed with key_id {key_id(key)}" if key else
              f"its grader.toml is not signed ({ENV_VAR} is not set)")
    state.out.print(f"Wrote the kit for \"{assessment.name}\" to {written} ({count} files: {', '.join(assessment.slugs)}; "
                    f"feedback: {assessment.feedback}; {signed}).\nCandidates work inside it: "
                    f"`cd {assessment.slugs[0]} && grader test`.", soft_wrap=True, highlight=False, markup=False)
