"""``grader test`` (quick local feedback) and ``grader submit`` (the full grade)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.text import Text

from grader import history
from grader.assessment import Assessment, locate
from grader.batch.discover import challenge_of
from grader.catalog import Catalog, Challenge
from grader.cli.context import AppState, pass_state
from grader.constants import EXIT_NOT_PASSING, EXIT_PASS, MARKER_FILE, SOLUTION_FILE
from grader.errors import ChallengeUndetermined, GraderError, UnknownChallenge, UsageError
from grader.fileio import write_atomic
from grader.grading import FULL_EXAMPLES, QUICK_EXAMPLES, GradeOptions, grade
from grader.report.feedback import LEVELS, redact_report
from grader.report.model import Report
from grader.report.render import RENDERERS, rich_report
from grader.sandbox.select import NAMES, get_backend
from grader.signing import publish
from grader.submission import Marker, read_marker


def resolve_challenge(state: AppState, path: Path, slug: str | None) -> Challenge:
    """The --challenge option, else the folder's name or the nearest folder
    above named after a challenge, else the workspace marker. A marker that
    disagrees with such a folder is a usage error (grader/batch/discover.py)."""
    catalog = state.catalog
    if slug:
        return catalog.get(slug)
    folder = path.parent if path.is_file() else path
    named, conflict, _ = challenge_of(folder, folder, catalog)
    if conflict:
        raise ChallengeUndetermined(
            f"Cannot grade {path}: {conflict}; a marker never overrides a folder named after a challenge. "
            f"Remove the marker or make it say challenge = \"{named}\", or pass --challenge SLUG.")
    if named:
        return catalog.get(named)
    marker = read_marker(folder)
    if marker is not None and marker.challenge:
        if marker.challenge not in catalog:
            _find_recorded_challenge(state, marker)
        return catalog.get(marker.challenge)   # a challenge that does not exist: UnknownChallenge says so
    raise ChallengeUndetermined(
        f"Cannot tell which challenge {path} is for: it has no {MARKER_FILE} marker and its folder "
        "name is not a challenge. Pass --challenge SLUG (see `grader list`).")


def _find_recorded_challenge(state: AppState, marker: Marker) -> None:
    """A private challenge's workspace: load the challenge from the folder
    ``grader start`` recorded in the marker (the candidate's own machine and
    commands; ``grader grade`` never reads it), or say how to find it. A
    slug that is not a plain folder name ("sub/lru-cache") is never joined
    to a path: it could load a challenge under a built-in's name."""
    plain = marker.challenge not in (".", "..") and Path(marker.challenge).name == marker.challenge \
        and "\\" not in marker.challenge
    recorded = Path(marker.challenges_dir) / marker.challenge if marker.challenges_dir and plain else None
    if recorded is not None and (recorded / "challenge.toml").is_file():
        state.catalog.add_folder(recorded)
        state.err.print(f"Challenge {marker.challenge} from {recorded.parent} (recorded in {marker.path}).",
                        markup=False, highlight=False, soft_wrap=True)
        return
    where = (f"the challenges folder {marker.challenges_dir} recorded in {marker.path} has no such challenge any more"
             if marker.challenges_dir else "it is not a built-in challenge")
    raise UnknownChallenge(
        f"There is no challenge called '{marker.challenge}' ({marker.path} names it, but {where}). "
        "If it is a private challenge, pass its folder: `grader --challenges-dir DIR test` "
        "(or `grader test --challenges-dir DIR`). Run `grader list` to see the known challenges.")


def effective_seed(seed: int, assessment: Assessment | None) -> int:
    """--seed when given on the command line, else the assessment's seed, else --seed's default."""
    context = click.get_current_context(silent=True)
    explicit = context is not None and context.get_parameter_source("seed") not in (
        None, click.core.ParameterSource.DEFAULT, click.core.ParameterSource.DEFAULT_MAP)
    if assessment is not None and assessment.seed is not None and not explicit:
        return assessment.seed
    return seed


def feedback_level(feedback: str | None, assessment: Assessment | None) -> str:
    """--feedback when given, else the assessment's level, else full."""
    return feedback or (assessment.feedback if assessment is not None else "full")


def load_assessment(state: AppState, paths: list[Path], assessment_file: Path | None,
                    feedback: str | None, *, outside: bool = False) -> Assessment | None:
    """--assessment, else the grader.toml found at or above the submission(s)
    (``outside``, for an assessor's ``grade``: strictly above each PATH); says
    which on stderr."""
    assessment = locate(state.catalog, assessment_file, paths, outside=outside)
    if assessment is not None:
        state.err.print(f"Assessment {assessment.describe()}; feedback: {feedback_level(feedback, assessment)}.",
                        soft_wrap=True, highlight=False, markup=False)
    return assessment


def render(fmt: str, report: Report, level: str) -> str:
    """A renderer's text of the report as shown at ``level``; JSON is signed when a key is set."""
    if fmt == "json":
        return json.dumps(publish(report.to_dict(), level), indent=2, ensure_ascii=False) + "\n"
    return RENDERERS[fmt](redact_report(report, level))


def run_grade(state: AppState, path: Path, slug: str | None, sandbox: str, seed: int,
              examples: int, quiet: bool, image: str | None = None, complexity: bool = True,
              assessment: Assessment | None = None, command: str = "test") -> Report:
    """Grade one submission; every run is recorded in the candidate's history (grader/history.py)."""
    if not path.exists():
        raise UsageError(f"{path} does not exist. Give the folder that holds your solution.py.")
    challenge = resolve_challenge(state, path, slug)
    if assessment is not None:
        challenge = assessment.challenge(challenge.slug)    # its limits; a challenge it does not list is an error
    backend = get_backend(sandbox, image=image, console=None if quiet else state.err)
    options = GradeOptions(seed=effective_seed(seed, assessment), max_examples=examples, complexity=complexity,
                           assessment=assessment.stamp() if assessment is not None else None)
    if quiet:
        return recorded(state, grade(path, challenge, backend, options), path, command, assessment)
    heading = Text.assemble(f"Grading {path} against ", (challenge.slug, "bold"), f" ({backend.name} sandbox)")

    def line(text: str = "...") -> Text:
        """One line, cut to the terminal's width: a wrapped status line is redrawn badly."""
        return Text.assemble(heading, text, no_wrap=True, overflow="ellipsis")

    with state.err.status(line()) as status:
        report = grade(path, challenge, backend, options, progress=lambda text: status.update(line(f": {text}")))
    return recorded(state, report, path, command, assessment)


def recorded(state: AppState, report: Report, path: Path, command: str, assessment: Assessment | None) -> Report:
    """The report with its hints_used; a history that cannot be written is a warning, never a failed grade."""
    report, warning = history.record(report, path, command=command, assessment=assessment)
    if warning:
        state.err.print(warning, markup=False, highlight=False, soft_wrap=True)
    return report


sandbox_option = click.option("--sandbox", type=click.Choice(NAMES), default="auto", show_default=True,
                              help="Where the submission runs.")
def image_name(ctx, param, value):
    """An image name, if given, must name something: `--image ""` was taken as no image."""
    if value is not None and not value.strip():
        raise click.BadParameter("is empty; give an image name such as grader-python:bookworm, or leave it out.")
    return value


image_option = click.option("--image", metavar="IMAGE", default=None, callback=image_name,
                            help="Docker image for the docker sandbox: any image with python3 "
                                 "(default: $GRADER_IMAGE, else python:3.12-slim).")
seed_option = click.option("--seed", type=int, default=0, show_default=True,
                           help="Seed for the hidden tests; the same seed gives the same tests "
                                "(default: the assessment's seed when it sets one, else 0).")
assessment_option = click.option("--assessment", "assessment_file", type=click.Path(path_type=Path), default=None,
                                 help="The assessment file: challenges, limits, feedback level (default: the "
                                      "nearest grader.toml in the submission's folder or above it; for grade, "
                                      "strictly above each PATH; with $GRADER_SIGNING_KEY set, only one "
                                      "`grader kit` signed).")
feedback_option = click.option("--feedback", type=click.Choice(LEVELS), default=None,
                               help="How much of the report to show: full, summary (pass/fail per test) or "
                                    "none (verdict and score)  [default: the assessment's, else full]")
challenge_option = click.option("--challenge", "slug", metavar="SLUG",
                                help="The challenge (default: from the folder's marker or name).")


def challenge_folders(path: Path, slug: str | None) -> list[Path]:
    """The challenge folders to grade one after the other when PATH is a
    kit's root (or any folder holding workspaces) rather than a submission:
    its sub-folders with a solution.py. Empty when PATH is a submission."""
    if slug or not path.is_dir() or (path / SOLUTION_FILE).exists():
        return []
    return sorted(child for child in path.iterdir()
                  if not child.name.startswith(".") and child.is_dir() and (child / SOLUTION_FILE).is_file())


def grade_each(state: AppState, folders: list[Path], grade_one, show) -> None:
    """Grade every challenge folder of a kit, show each report, then a table
    of them all; exits 0 only when every one passes."""
    from rich.table import Table
    reports = []
    for folder in folders:
        try:
            report = grade_one(folder)
        except GraderError as problem:   # one folder that cannot be graded must not stop the others
            state.err.print(Text.assemble(("error: ", "bold red"), str(problem)), soft_wrap=True)
            reports.append((folder, None))
            continue
        show(report)
        reports.append((folder, report))
    table = Table("folder", "challenge", "verdict", "score", header_style="bold")
    for folder, report in reports:
        if report is None:
            table.add_row(Text(folder.name), "-", Text("not graded", "magenta"), "-")
        else:
            table.add_row(Text(folder.name), report.challenge, report.verdict,
                          f"{report.score:.1f}/{report.max_score:g}")
    state.out.print(Text("Every challenge in this folder", style="bold"))
    state.out.print(table)
    passed = sum(report is not None and report.passed for _, report in reports)
    state.out.print(f"{passed} of {len(reports)} challenge(s) pass.", markup=False, highlight=False)
    raise SystemExit(EXIT_PASS if passed == len(reports) else EXIT_NOT_PASSING)


@click.command()
@click.argument("path", required=False, default=".", type=click.Path(path_type=Path))
@challenge_option
@sandbox_option
@image_option
@seed_option
@click.option("--complexity/--no-complexity", default=False, show_default=True,
              help="Also measure the operations' time against their big-O bounds (a few seconds more).")
@click.option("--watch", is_flag=True,
              help="Grade again after every save of the submission's .py files, showing what changed; "
                   "Ctrl-C to stop.")
@assessment_option
@feedback_option
@pass_state
def test(state: AppState, path: Path, slug: str | None, sandbox: str, image: str | None, seed: int,
         complexity: bool, watch: bool, assessment_file: Path | None, feedback: str | None) -> None:
    """Quick feedback on the submission in PATH (default: this folder):
    fewer examples, and no complexity measurement unless asked."""
    assessment = load_assessment(state, [path], assessment_file, feedback)
    level = feedback_level(feedback, assessment)

    def grade_one(folder: Path) -> Report:
        return run_grade(state, folder, slug, sandbox, seed, QUICK_EXAMPLES, quiet=False, image=image,
                         complexity=complexity, assessment=assessment)

    def show(report: Report) -> None:
        state.out.print(rich_report(redact_report(report, level)))

    folders = challenge_folders(path, slug)
    if watch:
        if folders:
            raise UsageError(f"{path} holds challenge folders ({len(folders)}); --watch follows one submission. "
                             f"Give one folder, e.g. `grader test --watch {folders[0]}`.")
        from grader.cli.watch import watch as watch_loop
        watch_loop(state, path, grade_one, show, level)     # returns only by Ctrl-C
    if folders:
        grade_each(state, folders, grade_one, show)
    report = grade_one(path)
    show(report)
    raise SystemExit(EXIT_PASS if report.passed else EXIT_NOT_PASSING)


@click.command()
@click.argument("path", required=False, default=".", type=click.Path(path_type=Path))
@challenge_option
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True)
@sandbox_option
@image_option
@seed_option
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to this file (atomically) instead of standard output.")
@click.option("--complexity/--no-complexity", default=True, show_default=True,
              help="Measure the operations' time against their big-O bounds once every hidden test passes.")
@assessment_option
@feedback_option
@pass_state
def submit(state: AppState, path: Path, slug: str | None, fmt: str, sandbox: str, image: str | None, seed: int,
           output: Path | None, complexity: bool, assessment_file: Path | None, feedback: str | None) -> None:
    """Grade the submission in PATH (default: this folder; at a kit's root,
    each challenge in turn): every hidden test, then (when they all pass)
    the complexity checks against the reference."""
    assessment = load_assessment(state, [path], assessment_file, feedback)
    folders = challenge_folders(path, slug)
    if folders:
        if fmt != "text" or output is not None:
            raise UsageError(f"{path} holds {len(folders)} challenge folders; --format {fmt} and --output "
                             "report on one submission. Give one folder (e.g. "
                             f"`grader submit {folders[0]} --format {fmt}`), or grade them all with `grader grade`.")
        level = feedback_level(feedback, assessment)
        grade_each(state, folders,
                   lambda folder: run_grade(state, folder, slug, sandbox, seed, FULL_EXAMPLES, quiet=False,
                                            image=image, complexity=complexity, assessment=assessment,
                                            command="submit"),
                   lambda report: state.out.print(rich_report(redact_report(report, level))))
    report = run_grade(state, path, slug, sandbox, seed, FULL_EXAMPLES, quiet=fmt == "json" and output is None,
                       image=image, complexity=complexity, assessment=assessment, command="submit")
    level = feedback_level(feedback, assessment)
    if output is not None:
        write_atomic(output, render(fmt, report, level))
        state.err.print(f"Report written to {output}: {report.verdict}, score {report.score:.1f}/{report.max_score:g}",
                        markup=False)
    elif fmt == "text":
        state.out.print(rich_report(redact_report(report, level)))
    else:
        click.echo(render(fmt, report, level), nl=False)
    raise SystemExit(EXIT_PASS if report.passed else EXIT_NOT_PASSING)
