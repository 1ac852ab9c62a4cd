"""``grader verify``: check reports' signatures and hashes, and re-grade on request."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from grader.cli.context import AppState, pass_state
from grader.cli.grading_commands import image_option, sandbox_option
from grader.constants import EXIT_NOT_PASSING, EXIT_PASS
from grader.errors import GraderError, UsageError
from grader.signing import ENV_VAR, signing_key

STYLE = {"ok": "green", "warn": "yellow", "fail": "bold red"}


@click.command()
@click.argument("reports", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="REPORT...")
@click.option("--regrade", "regrade_path", type=click.Path(path_type=Path), default=None,
              help="Grade the submission at this path again (with a results.jsonl: the folder holding the "
                   "reports' submissions) and compare the verdict, score and each test's status.")
@click.option("--assessment", "assessment_file", type=click.Path(path_type=Path), default=None,
              help="The assessment the reports must have been graded under; its limits apply to a re-grade "
                   "(default for a re-grade: a grader.toml strictly above the --regrade PATH that `grader kit` "
                   "signed with the key, when the report records it).")
@sandbox_option
@image_option
@pass_state
def verify(state: AppState, reports: tuple[Path, ...], regrade_path: Path | None, assessment_file: Path | None,
           sandbox: str, image: str | None) -> None:
    """Check each REPORT (a .json report or a .jsonl of reports): its
    signature with $GRADER_SIGNING_KEY, that its challenge is the installed
    one, that it was graded by this grader version, and with --regrade, that
    grading the submission again gives the same result."""
    from grader.assessment import Assessment, ignored_inside, ignored_warning, locate
    from grader.batch.archive import Unpacker, ZipRefused, is_zip
    from grader.grading import FULL_EXAMPLES, GradeOptions, grade
    from grader.sandbox.select import get_backend
    from grader.verify import Check, check_report, compare, load_entries, regrade_settings, regrade_targets

    key = signing_key()
    if key is None:
        raise UsageError(f"{ENV_VAR} is not set. Set it to the key the reports were signed with "
                         f"(export {ENV_VAR}=...), then run grader verify again.")
    assessment = Assessment.load(assessment_file, state.catalog) if assessment_file is not None else None
    entries = [entry for path in reports for entry in load_entries(path)]
    outcomes = {id(entry): check_report(entry, key, state.catalog, assessment) for entry in entries}
    if regrade_path is not None:
        targets = regrade_targets(entries, regrade_path)
        # A submission in a zip (a.zip!/lru-cache) is graded from a private temporary folder, removed at the end.
        unpacker = click.get_current_context().with_resource(Unpacker(lambda name: name in state.catalog))
        folders = {}        # id(entry) -> the folder to grade, or why there is none (a refused zip)
        for entry, path in targets:
            try:
                folders[id(entry)] = unpacker.locate(path, str(entry.report.get("submission") or ""))
            except ZipRefused as refused:
                folders[id(entry)] = str(refused)
        nearby = None
        if assessment is None:
            if any(isinstance(entry.report.get("assessment"), dict) for entry, _ in targets):
                # Strictly above PATH and signed with the key (else exit 2); never one inside what is re-graded.
                nearby = locate(state.catalog, None, [regrade_path], outside=True)
            found = [folder for folder in folders.values() if isinstance(folder, Path) and folder.exists()]
            ignored = ignored_inside([] if is_zip(regrade_path) else [regrade_path], found)
            ignored += unpacker.ignored
            if ignored:
                state.err.print(ignored_warning(ignored), soft_wrap=True, highlight=False, markup=False)
        chosen = {id(entry) for entry, _ in targets}
        for entry in entries:
            if entry.report is not None and id(entry) not in chosen:
                outcomes[id(entry)].checks.append(Check("re-grade", "warn", f"not re-graded: its submission is not "
                                                                            f"at or inside {regrade_path}"))
        backend = None
        for entry, path in targets:
            outcome, folder = outcomes[id(entry)], folders[id(entry)]
            if isinstance(folder, str):
                outcome.checks.append(Check("re-grade", "fail", f"cannot re-grade: {folder}"))
                continue
            if not folder.exists():
                outcome.checks.append(Check("re-grade", "fail", f"{path} does not exist"))
                continue
            try:
                challenge, complexity, limits = regrade_settings(entry.report, folder, state.catalog, assessment,
                                                                 nearby)
            except GraderError as exc:      # an unknown challenge, or one the assessment does not list
                outcome.checks.append(Check("re-grade", "fail", f"cannot re-grade: {exc}"))
                continue
            outcome.checks.append(limits)
            backend = backend or get_backend(sandbox, image=image, console=state.err)
            options = GradeOptions(seed=int(entry.report["seed"]), max_examples=FULL_EXAMPLES, complexity=complexity)
            with state.err.status(f"Re-grading {escape(str(path))} against {escape(challenge.slug)} "
                                  f"(seed {options.seed})..."):
                fresh = grade(folder, challenge, backend, options).to_dict()
            outcome.differences = compare(entry.report, fresh)
            if outcome.differences:
                outcome.checks.append(Check("re-grade", "fail", f"{path}: {len(outcome.differences)} "
                                                                 "difference(s) from the report, below"))
            else:
                outcome.checks.append(Check("re-grade", "ok", f"{path}: same submission, verdict "
                                                               f"({fresh['verdict']}), score ({fresh['score']:g}) "
                                                               "and test statuses"))
    failed = 0
    for entry in entries:
        outcome = outcomes[id(entry)]
        failed += not outcome.ok
        report = entry.report or {}
        title = f"{entry.source}: " + (f"{report.get('submission', '')} ({report.get('challenge', '?')})".strip()
                                       if report else "")
        table = Table("check", "result", "detail", title=Text(title, style="bold"), title_justify="left",
                      header_style="bold", box=None)
        for check in outcome.checks:
            table.add_row(check.name, Text("FAIL" if check.status == "fail" else check.status,
                                           STYLE[check.status]), Text(check.detail))
        state.out.print(table)
        if outcome.differences:
            differences = Table("differs", "report", "re-grade", header_style="bold", box=None)
            for what, theirs, ours in outcome.differences:
                differences.add_row(*(Text(str(cell)) for cell in (what, theirs, ours)))
            state.out.print(differences)
        state.out.print()
    state.out.print(f"{len(entries)} report(s): {len(entries) - failed} verified, {failed} failed.")
    raise SystemExit(EXIT_PASS if failed == 0 else EXIT_NOT_PASSING)
