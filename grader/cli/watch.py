"""``grader test --watch``: grade, then grade again after every save of the
submission's ``.py`` files, showing what changed (grader/report/changes.py).

Saves are found by polling: every ``POLL_SECONDS`` the submission's ``.py``
files are listed with the walk grading itself uses (grader/submission.py:
its depth and entry caps bound it, and it skips the same folders) and
stat'ed. A submission is a few files, so a poll costs a few system calls;
a file-system events library (watchfiles) would add a compiled dependency
to save them, and would still need the same debouncing. A change is graded
once the files have stayed the same for ``QUIET_SECONDS``: an editor's
save (a temporary file written, then renamed over the old one) or a burst
of saves gives one run. Grading runs in this thread, so a save during a run
is graded by the next one, never at the same time.

Hidden files (an editor's swap, lock and backup files, ``.#solution.py``)
are not watched; neither are files not ending in ``.py``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable

import click
from rich.panel import Panel
from rich.text import Text

from grader.cli.context import AppState
from grader.cli.interrupts import announce_stopped, received_signal
from grader.errors import GraderError
from grader.report.changes import compare, rich_change
from grader.report.feedback import redact_report
from grader.report.model import Report
from grader.submission import SubmissionProblem, python_files

POLL_SECONDS = 0.2      # how often the files are looked at
QUIET_SECONDS = 0.3     # how long they must stay the same before a run
ROOM = 18               # terminal lines a re-run needs besides the counterexample (headings, names, panel)
FOCUS_LINES = 6         # the fewest lines of a counterexample shown, however small the terminal

Snapshot = dict   # relative name -> (mtime_ns, size, inode), or None for one that cannot be stat'ed
_PROBLEM = "\0"   # the key under which a listing that failed keeps its message (never a file's name)


def snapshot(path: Path) -> Snapshot:
    """The watched files' state: PATH itself when it is a ``.py`` file, else
    the ``.py`` files below it that are not hidden."""
    if path.suffix == ".py" and not path.is_dir():
        folder, files = path.parent, [path]
    else:
        folder = path
        try:
            files = python_files(path)
        except SubmissionProblem as problem:     # too many files, too deep: grading will say it too
            return {_PROBLEM: problem.message}
    state: Snapshot = {}
    for file in files:
        relative = file.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in relative.split("/")):
            continue
        try:
            info = os.stat(file)
            state[relative] = (info.st_mtime_ns, info.st_size, info.st_ino)
        except OSError:
            state[relative] = None
    return state


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """The names that differ, for the run's heading ("solution.py saved")."""
    names = sorted(name for name in set(before) | set(after)
                   if name != _PROBLEM and before.get(name) != after.get(name))
    return [f"{name} {'removed' if name not in after else 'added' if name not in before else 'saved'}"
            for name in names]


def wait_for_change(path: Path, seen: Snapshot, *, poll: float = POLL_SECONDS, quiet: float = QUIET_SECONDS,
                    sleep: Callable[[float], None] = time.sleep,
                    clock: Callable[[], float] = time.monotonic) -> Snapshot:
    """Block until the watched files differ from ``seen`` and have then
    stayed the same for ``quiet`` seconds; return their state then."""
    while True:
        current = snapshot(path)
        while current == seen:
            sleep(poll)
            current = snapshot(path)
        settled_at = clock()
        while clock() - settled_at < quiet:
            sleep(min(poll, quiet / 3))
            latest = snapshot(path)
            if latest != current:
                current, settled_at = latest, clock()
        if current != seen:      # a file written and removed again within the burst changes nothing
            return current


def watch(state: AppState, path: Path, grade_one: Callable[[Path], Report], show: Callable[[Report], None],
          level: str) -> None:
    """Grade PATH with ``grade_one`` (the function ``grader test`` grades
    with, once per run) until Ctrl-C, which says "Stopped watching." and
    leaves as every interrupted command does (exit 130, sandbox closed).
    A first run that cannot start (no such challenge) ends the command;
    later ones that cannot grade say why and keep watching."""
    out = state.out
    try:
        seen = snapshot(path)
        report = grade_one(path)
        show(report)                     # the first run: the whole report
        out.print(_watching(path))
        baseline = _graded(redact_report(report, level))   # the last run that graded the code
        run = 1
        while True:
            previous, seen = seen, wait_for_change(path, seen)
            run += 1
            try:
                report = grade_one(path)
            except GraderError as problem:    # the folder renamed, the marker removed: say so, keep watching
                report, outcome = None, _not_graded(str(problem))
            else:
                shown = redact_report(report, level)
                room = max(FOCUS_LINES, out.height - ROOM) if out.is_terminal else None   # a pipe: all of it
                outcome = _outcome(shown, baseline, room)
                baseline = _graded(shown) or baseline
            out.clear()         # a terminal shows the latest run alone; a pipe gets one block per run
            out.print(Text(f"Run {run} at {time.strftime('%H:%M:%S')}: "
                           + (", ".join(changed_files(previous, seen)) or "files changed"), style="bold"))
            if outcome is None:
                show(report)    # the first run that graded the code: the whole report
            else:
                out.print(outcome)
            if out.is_terminal:
                out.print(_watching(path))
    except KeyboardInterrupt:
        if state.err.is_terminal and received_signal() is None:
            state.err.print()           # past the terminal's ^C
        announce_stopped(state.err, "Stopped watching.")
        # Abort, not the KeyboardInterrupt, on to main's exit_interrupted (exit 130, the exit handlers):
        # click would print an empty line for the latter.
        raise click.exceptions.Abort() from None


def _outcome(shown: Report, baseline: Report | None, max_lines: int | None):
    """What a re-run shows: its change from the last graded run, why the code
    could not be graded, or None for the whole report (nothing to compare with)."""
    if shown.verdict == "error":
        return _not_graded(shown.message, shown.challenge)
    if baseline is None:
        return None
    return rich_change(compare(baseline, shown), shown, max_lines=max_lines)


def _graded(shown: Report) -> Report | None:
    return None if shown.verdict == "error" else shown


def _watching(path: Path) -> Text:
    return Text(f"Watching {path} for saves of its .py files; Ctrl-C to stop.", style="dim")


def _not_graded(message: str, challenge: str = "") -> Panel:
    """A run that could not grade the code (a syntax error mid-edit, solution.py
    missing mid-save): its reason. The last graded run stays the one the next
    run is compared with."""
    title = f"{challenge}: not graded" if challenge else "not graded"
    return Panel(Text(message), title=Text(title), title_align="left", border_style="magenta")
