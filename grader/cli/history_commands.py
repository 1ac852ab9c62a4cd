"""``grader history`` (the attempts recorded in the candidate's history) and
``grader hint`` (the next step for the first failing test of the last one)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from grader import history
from grader.assessment import locate
from grader.cli.context import AppState, pass_state
from grader.errors import UsageError
from grader.hints import Hint, next_hint
from grader.history import Attempt

JSON_SCHEMA = 1
WIDE = 100               # columns from which the table has room for the newly passing and failing tests
SHOWN_NAMES = 3          # newly passing or failing tests named in a row of the table; then "and N more"
STATUS_STYLE = {"pass": "green", "fail": "red", "error": "magenta", "timeout": "yellow"}


class HintsOff(UsageError):
    """The assessment switches hints off."""


# --------------------------------------------------------------------------
# grader history
# --------------------------------------------------------------------------

def _groups(attempts: list[Attempt]) -> list[list[Attempt]]:
    """Attempts by (workspace, challenge), each in order, the groups in the order they began."""
    groups: dict[tuple[str, str], list[Attempt]] = {}
    for attempt in attempts:
        groups.setdefault((attempt.workspace, attempt.challenge), []).append(attempt)
    return list(groups.values())


def _iso(timestamp: float) -> str:
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).isoformat(timespec="seconds") \
        .replace("+00:00", "Z")


def _local(timestamp: float, *, short: bool = False) -> str:
    return datetime.datetime.fromtimestamp(timestamp).strftime("%m-%d %H:%M" if short else "%Y-%m-%d %H:%M:%S")


def progression(group: list[Attempt]) -> list[dict]:
    """Each attempt with what changed since the one before it: the tests
    passing now that did not pass then (the first attempt: every passing
    test), and those passing then that do not now."""
    rows, before = [], None
    for number, attempt in enumerate(group, 1):
        passed, failed = attempt.passed_tests, attempt.failing_tests
        previous = set(before.passed_tests) if before is not None else set()
        rows.append({
            "attempt": number, "time": _iso(attempt.recorded_at), "timestamp": round(attempt.recorded_at, 3),
            "command": attempt.command, "seed": attempt.seed, "verdict": attempt.verdict, "score": attempt.score,
            "max_score": attempt.max_score, "complexity_checked": attempt.complexity_checked,
            "passed": list(passed), "failed": list(failed),
            "newly_passing": [name for name in passed if name not in previous],
            "newly_failing": [name for name in failed if name in previous],
            "hints_used": attempt.hints_used, "feedback": attempt.feedback,
            "grader_version": attempt.grader_version, "challenge_version": attempt.challenge_version,
            "submission_sha256": attempt.submission_sha256,
        })
        before = attempt
    return rows


def summary(group: list[Attempt]) -> dict:
    """One workspace's attempts at one challenge, as ``--format json`` gives them."""
    rows = progression(group)
    first_pass = next((row for row in rows if row["verdict"] == "pass"), None)
    shown = history.hints_shown(group[0].workspace, group[0].challenge)
    return {
        "workspace": group[0].workspace, "challenge": group[0].challenge,
        "first_attempt": rows[0]["time"],
        "first_pass": None if first_pass is None else {
            "attempt": first_pass["attempt"], "time": first_pass["time"], "command": first_pass["command"],
            "seconds_after_first_attempt": round(first_pass["timestamp"] - rows[0]["timestamp"], 3)},
        "hints_used": sum(shown.values()),
        "scores": [row["score"] for row in rows],
        "attempts": rows,
    }


def _names(names: list[str]) -> str:
    if not names:
        return "-"
    shown = ", ".join(names[:SHOWN_NAMES])
    return shown + (f" and {len(names) - SHOWN_NAMES} more" if len(names) > SHOWN_NAMES else "")


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


def _show_group(state: AppState, group: dict) -> None:
    first = group["first_pass"]
    passing = (Text.assemble(("first pass: ", "bold"), f"attempt {first['attempt']} ({first['command']}), "
                             f"{_local(group['attempts'][first['attempt'] - 1]['timestamp'])}, "
                             f"{_duration(first['seconds_after_first_attempt'])} after the first")
               if first else Text("not passing yet", style="yellow"))
    state.out.print(Text.assemble((group["challenge"], "bold"), "  ", group["workspace"]))
    state.out.print(Text.assemble(f"{len(group['attempts'])} attempt(s); ", passing,
                                  f"; hints used: {group['hints_used']}"))
    wide = state.out.width >= WIDE     # else the changes go below the table, where names can wrap
    table = Table(header_style="bold", box=None, pad_edge=False)
    for name in ("#", "time", "command", "seed", "verdict", "score", "passing"):
        table.add_column(name, no_wrap=True)
    for name in ("newly passing", "newly failing") if wide else ():
        table.add_column(name, overflow="fold")
    changes = []
    for row in group["attempts"]:
        total = len(row["passed"]) + len(row["failed"])
        gained = _names(row["newly_passing"] if row["attempt"] > 1 else [])
        lost = _names(row["newly_failing"])
        cells = [str(row["attempt"]), _local(row["timestamp"], short=True), row["command"], str(row["seed"]),
                 Text(row["verdict"], STATUS_STYLE.get(row["verdict"], "")),
                 f"{row['score']:g}/{row['max_score']:g}", f"{len(row['passed'])}/{total}" if total else "-"]
        table.add_row(*cells, *((Text(gained, "green"), Text(lost, "red")) if wide else ()))
        if not wide and (gained != "-" or lost != "-"):
            changes.append(Text.assemble(f"{row['attempt']}: ", *((("newly passing ", ""), (gained, "green"))
                                                                   if gained != "-" else ()),
                                         "; " if gained != "-" and lost != "-" else "",
                                         *((("newly failing ", ""), (lost, "red")) if lost != "-" else ())))
    state.out.print(table)
    for line in changes:
        state.out.print(line)
    state.out.print(Text("score: " + " → ".join(f"{score:g}" for score in group["scores"]), style="dim"))


@click.command("history")
@click.argument("slug", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_state
def history_command(state: AppState, slug: str | None, fmt: str) -> None:
    """Show the attempts recorded by grader test and submit, with when each
    challenge first passed and how the score and the passing tests
    progressed: for the workspaces at or below this folder, or with SLUG,
    for every workspace of that challenge.

    The history is one file per user ($GRADER_HISTORY, else
    $XDG_STATE_HOME/grader/history.sqlite, else
    ~/.local/state/grader/history.sqlite); GRADER_HISTORY=off turns it
    off."""
    if slug is not None:
        state.catalog.get(slug)         # a misspelt slug: say so, with the known ones
        found = history.attempts(challenge=slug)
    else:
        found = history.attempts(under=history.workspace_key(Path.cwd()))
    groups = [summary(group) for group in _groups(found)]
    if fmt == "json":
        click.echo(json.dumps({"schema": JSON_SCHEMA, "history": str(history.location()), "workspaces": groups},
                              indent=2, ensure_ascii=False))
        return
    if not groups:
        where = f"for {slug}" if slug else f"for the workspaces at or below {Path.cwd()}"
        state.out.print(f"No attempts recorded {where} yet. Every `grader test` and `grader submit` in a workspace "
                        f"is recorded (in {history.location()}).", markup=False, highlight=False, soft_wrap=True)
        return
    for index, group in enumerate(groups):
        if index:
            state.out.print()
        _show_group(state, group)


# --------------------------------------------------------------------------
# grader hint
# --------------------------------------------------------------------------

def _changed_since(path: Path, attempt: Attempt) -> bool:
    """Whether the code is no longer what the attempt graded (read as the grader reads it)."""
    from grader.submission import SubmissionProblem, read_files, submission_hash
    try:
        return submission_hash(read_files(path)[1]) != attempt.submission_sha256
    except (SubmissionProblem, OSError):
        return False


def _show_hint(state: AppState, hint: Hint, attempt: Attempt, number: int, used: int, changed: bool) -> None:
    out = state.out
    when = _local(attempt.recorded_at)
    out.print(Text.assemble(("Hint for ", "bold"), (hint.test, "bold"), f" ({hint.status} in attempt {number}: "
                            f"grader {attempt.command}, {when})"))
    if hint.sentence:
        out.print(Text.assemble("\nThe contract says: ", (hint.sentence, "italic")))
    if hint.counterexample:
        out.print(Text("Your code breaks it with these calls:" if hint.sentence else "The calls that fail:"))
        out.print(Text(hint.counterexample, style="cyan"))
    if not hint.written:
        out.print(Text("\nThe challenge's author wrote no hints for this test."))
    for level, text in enumerate(hint.levels, 1):
        label = f"Hint {level} of {hint.written}" + ("" if level == hint.new_level else " (shown before)")
        out.print(Text.assemble("\n", (label + ": ", "bold green" if level == hint.new_level else "bold"), text))
    if hint.written and hint.new_level is None:
        out.print(Text(f"\nNo hints left for {hint.test}: all {hint.written} shown.", style="yellow"))
    elif hint.new_level is not None and hint.new_level < hint.written:
        out.print(Text(f"\nRun `grader hint` again for the next level ({hint.new_level} of {hint.written} shown).",
                       style="dim"))
    if changed:
        out.print(Text("Your code changed since that attempt: run `grader test` to see whether this test still "
                       "fails.", style="yellow"))
    out.print(Text(f"Hints used in this workspace: {used} (your reports say so in hints_used).", style="dim"))


@click.command("hint")
@click.argument("path", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--challenge", "slug", metavar="SLUG", help="The challenge (default: from the folder's marker or name).")
@click.option("--assessment", "assessment_file", type=click.Path(path_type=Path), default=None,
              help="The assessment file (default: the nearest grader.toml in the submission's folder or above it).")
@pass_state
def hint(state: AppState, path: Path, slug: str | None, assessment_file: Path | None) -> None:
    """Show the sentence of the contract that the first failing test of your
    last recorded attempt in PATH (default: this folder) breaks, and the
    next level of the challenge author's hint for it.

    Each call reveals one more level and records it in the history; JSON
    reports count them in hints_used. An assessment with hints = false in
    its grader.toml switches this command off."""
    from grader.cli.grading_commands import resolve_challenge
    if not path.exists():
        raise UsageError(f"{path} does not exist. Give the folder that holds your solution.py.")
    challenge = resolve_challenge(state, path, slug)
    assessment = locate(state.catalog, assessment_file, [path])
    if assessment is not None and not assessment.hints:
        raise HintsOff(f"The assessment \"{assessment.name}\" ({assessment.path}) switches hints off "
                       "(hints = false): `grader hint` shows nothing during it. `grader test` still shows what "
                       "fails, as the assessment's feedback level allows.")
    workspace = history.workspace_key(path)
    attempts = history.attempts(workspace=workspace, challenge=challenge.slug)
    if not attempts:
        raise UsageError(f"No attempt at {challenge.slug} is recorded for {workspace} yet: run `grader test` "
                         f"there first (hints are for the tests your last attempt failed).")
    last = attempts[-1]
    if last.verdict == "pass" or (not last.tests and last.verdict != "pass"):
        state.out.print(
            "Your last attempt passes every hidden test: no hint needed." if last.verdict == "pass" else
            f"Your last attempt ({last.verdict}) names no failing test"
            + (" (this assessment's feedback level is none)" if last.feedback == "none" else
               ": the code could not be graded; `grader test` says why") + ", so there is no hint to give.",
            markup=False, highlight=False, soft_wrap=True)
        return
    found = next_hint(last, challenge.hints, history.hints_shown(workspace, challenge.slug))
    if found is None:
        state.out.print("Your last attempt fails no hidden test: no hint needed.", markup=False, highlight=False)
        return
    used = sum(history.hints_shown(workspace, challenge.slug).values())
    if found.new_level is not None:
        used = history.record_hint(workspace, challenge.slug, found.test, found.new_level, last.id)
    _show_hint(state, found, last, len(attempts), used, _changed_since(path, last))
