"""The candidate's history: every ``grader test`` and ``grader submit`` run
in a workspace, and every hint revealed there, so that ``grader history``
can show the progression and ``grader hint`` the next step.

One SQLite file per user, never inside what a candidate hands in:
``$GRADER_HISTORY`` when set (``off`` turns the history off), else
``$XDG_STATE_HOME/grader/history.sqlite``, else
``~/.local/state/grader/history.sqlite``. A path inside the submission
folder or the kit being graded is refused. Attempts are keyed by the
workspace's resolved path and the challenge's slug.

Recording is a side effect that must never change a grade: ``record``
turns every problem with the file (locked, damaged, unwritable, another
program's database) into a one-line warning. Two graders writing at once
(two terminals) take turns: WAL journal, a busy timeout, one short
transaction per attempt. An attempt keeps what the candidate was shown (the
report at the assessment's feedback level), every text capped, and at most
HISTORY_MAX_ATTEMPTS attempts per workspace and challenge.

What it is not: evidence. The file is on the candidate's machine and theirs
to edit, so the ``hints_used`` it puts in a report is self-reported.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Iterator

from grader.constants import (HISTORY_BUSY_SECONDS, HISTORY_MAX_ATTEMPTS, HISTORY_MAX_COUNTEREXAMPLE_CHARS,
                              HISTORY_MAX_FAILURES, HISTORY_MAX_MESSAGE_CHARS, HISTORY_MAX_NAME_CHARS,
                              HISTORY_MAX_TESTS)
from grader.errors import UsageError
from grader.fileio import cut_printable, printable_path
from grader.report.model import Report

ENV_VAR = "GRADER_HISTORY"
OFF = ("off", "0", "no", "false", "none")
APPLICATION_ID = 0x67726869     # "grhi": tells our file from another program's SQLite database
SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace TEXT NOT NULL,
    challenge TEXT NOT NULL,
    command TEXT NOT NULL,
    recorded_at REAL NOT NULL,
    seed INTEGER NOT NULL,
    verdict TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    complexity_checked INTEGER NOT NULL,
    feedback TEXT NOT NULL,
    grader_version TEXT NOT NULL,
    challenge_version INTEGER NOT NULL,
    submission_sha256 TEXT NOT NULL,
    hints_used INTEGER NOT NULL,
    tests TEXT NOT NULL,
    failures TEXT NOT NULL
);
CREATE INDEX attempts_by_workspace ON attempts (workspace, challenge, id);
CREATE INDEX attempts_by_challenge ON attempts (challenge, id);
CREATE TABLE hints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace TEXT NOT NULL,
    challenge TEXT NOT NULL,
    test TEXT NOT NULL,
    level INTEGER NOT NULL,
    shown_at REAL NOT NULL,
    attempt_id INTEGER NOT NULL
);
CREATE INDEX hints_by_workspace ON hints (workspace, challenge, test);
"""


class HistoryError(UsageError):
    """The history file cannot be used: ``grader history`` and ``grader hint``
    say so (exit 2); ``grader test`` and ``submit`` only warn."""


class HistoryOff(HistoryError):
    pass


@dataclasses.dataclass(frozen=True)
class Failure:
    name: str
    status: str
    message: str
    counterexample: str
    description: str


@dataclasses.dataclass(frozen=True)
class Attempt:
    id: int
    workspace: str
    challenge: str
    command: str
    recorded_at: float
    seed: int
    verdict: str
    score: float
    max_score: float
    complexity_checked: bool
    feedback: str
    grader_version: str
    challenge_version: int
    submission_sha256: str
    hints_used: int
    tests: tuple            # ((name, status), ...) in the report's order
    failures: tuple         # Failure, for the first failing tests

    @property
    def passed_tests(self) -> tuple[str, ...]:
        return tuple(name for name, status in self.tests if status == "pass")

    @property
    def failing_tests(self) -> tuple[str, ...]:
        return tuple(name for name, status in self.tests if status != "pass")


def location(environ=os.environ) -> Path | None:
    """The history file, or None when $GRADER_HISTORY turns it off."""
    chosen = environ.get(ENV_VAR, "").strip()
    if chosen.lower() in OFF:
        return None
    if chosen:
        return Path(chosen).expanduser()
    state = environ.get("XDG_STATE_HOME", "").strip()
    if state and Path(state).is_absolute():
        return Path(state) / "grader" / "history.sqlite"
    try:
        home = Path.home()
    except RuntimeError:        # no $HOME and no passwd entry (a container's arbitrary user)
        raise HistoryError(f"There is no home folder to keep the history in ($HOME is not set). Set {ENV_VAR} "
                           f"to a file outside your submission, or {ENV_VAR}=off.") from None
    return home / ".local" / "state" / "grader" / "history.sqlite"


def workspace_key(path: Path) -> str:
    """The workspace an attempt belongs to: its folder (or the single .py
    file graded), resolved, as text SQLite can hold."""
    return printable_path(Path(path).resolve())


def _inside(path: Path, folder: Path) -> bool:
    folder = folder.resolve()
    return path == folder or folder in path.parents


@contextlib.contextmanager
def _connection(path: Path, *, create: bool) -> Iterator[sqlite3.Connection | None]:
    """An open connection on our history file (None when it does not exist
    and ``create`` is false). Anything that is not our file is refused and
    left as it is."""
    if path.exists() and not path.is_file():
        raise HistoryError(f"The history file {path} is not a regular file. Point ${ENV_VAR} at a file, "
                           f"or set {ENV_VAR}=off.")
    if not path.exists():
        if not create:
            yield None
            return
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        connection = sqlite3.connect(path, timeout=HISTORY_BUSY_SECONDS, isolation_level=None)
    except sqlite3.Error as exc:
        raise _problem(path, exc) from None
    try:
        _prepare(connection, path)
        yield connection
    except sqlite3.Error as exc:
        raise _problem(path, exc) from None
    finally:
        connection.close()


def _problem(path: Path, exc: Exception) -> HistoryError:
    return HistoryError(f"The history file {path} cannot be used ({exc}). Remove it to start a new history, "
                        f"point ${ENV_VAR} at another file, or set {ENV_VAR}=off.")


def _prepare(connection: sqlite3.Connection, path: Path) -> None:
    """Check the file is ours; a new (empty) one gets the schema."""
    application = connection.execute("PRAGMA application_id").fetchone()[0]
    if application == APPLICATION_ID:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            raise HistoryError(f"The history file {path} was written by another version of grader (its schema "
                               f"is {version}, this grader's {SCHEMA_VERSION}). Point ${ENV_VAR} at another "
                               "file, or remove it to start a new history.")
        return
    if application != 0 or connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise HistoryError(f"The file {path} is not a grader history (it is another program's SQLite database); "
                           f"it was left as it is. Point ${ENV_VAR} at another file.")
    connection.execute("PRAGMA journal_mode=WAL")
    with _transaction(connection):
        if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:   # not made meanwhile
            for statement in SCHEMA.split(";"):     # (executescript would commit the transaction first)
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


@contextlib.contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------

def record(report: Report, path: Path, *, command: str, assessment=None) -> tuple[Report, str | None]:
    """Record this attempt (what ``grader test`` or ``submit`` just showed
    for the submission at ``path``, under ``assessment`` if any). Returns
    the report with ``hints_used`` filled in, and a warning line when the
    history could not be written (the report is then unchanged): never an
    exception."""
    feedback = assessment.feedback if assessment is not None else "full"
    handed_in = (Path(path) if Path(path).is_dir() else Path(path).parent,
                 *((assessment.path.parent,) if assessment is not None else ()))   # the workspace, the kit
    try:
        where = location()
        if where is None:
            return report, None
        resolved = where.resolve()
        for folder in handed_in:
            if _inside(resolved, Path(folder)):
                raise HistoryError(f"${ENV_VAR} ({where}) is inside {folder}, which is handed in; point it "
                                   "outside the submission and the kit.")
        used = _insert(where, report, workspace_key(path), command, feedback)
        return dataclasses.replace(report, hints_used=used), None
    except HistoryError as problem:
        return report, f"warning: this attempt was not recorded in the history: {problem}"
    except (OSError, sqlite3.Error, ValueError) as exc:   # a full disk, a folder we cannot make, ...
        return report, (f"warning: this attempt was not recorded in the history: {exc}. "
                        f"Set {ENV_VAR}=off to stop recording.")


def _shown(report: Report, feedback: str) -> Report:
    from grader.report.feedback import redact_report
    return redact_report(report, feedback)


def _insert(where: Path, report: Report, workspace: str, command: str, feedback: str) -> int:
    shown = _shown(report, feedback)
    tests = [[cut_printable(t.name, HISTORY_MAX_NAME_CHARS), t.status] for t in shown.tests[:HISTORY_MAX_TESTS]]
    failures = [{"name": cut_printable(t.name, HISTORY_MAX_NAME_CHARS), "status": t.status,
                 "message": cut_printable(t.message, HISTORY_MAX_MESSAGE_CHARS),
                 "counterexample": cut_printable(t.counterexample, HISTORY_MAX_COUNTEREXAMPLE_CHARS),
                 "description": cut_printable(t.description, HISTORY_MAX_MESSAGE_CHARS)}
                for t in shown.tests if t.status != "pass"][:HISTORY_MAX_FAILURES]
    with _connection(where, create=True) as connection, _transaction(connection):
        used = _hints_used(connection, workspace, report.challenge)
        connection.execute(
            "INSERT INTO attempts (workspace, challenge, command, recorded_at, seed, verdict, score, max_score, "
            "complexity_checked, feedback, grader_version, challenge_version, submission_sha256, hints_used, "
            "tests, failures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (workspace, report.challenge, command, time.time(), report.seed, report.verdict, round(report.score, 2),
             report.max_score, int(not report.complexity_skipped), feedback, report.grader_version,
             report.challenge_version, report.submission_sha256, used,
             json.dumps(tests, ensure_ascii=False), json.dumps(failures, ensure_ascii=False)))
        connection.execute(
            "DELETE FROM attempts WHERE workspace = ? AND challenge = ? AND id <= (SELECT id FROM attempts "
            "WHERE workspace = ? AND challenge = ? ORDER BY id DESC LIMIT 1 OFFSET ?) AND id IS NOT (SELECT "
            "min(id) FROM attempts WHERE workspace = ? AND challenge = ? AND verdict = 'pass')",
            (workspace, report.challenge, workspace, report.challenge, HISTORY_MAX_ATTEMPTS,
             workspace, report.challenge))
    return used


def record_hint(workspace: str, challenge: str, test: str, level: int, attempt_id: int) -> int:
    """Record that hint ``level`` of ``test`` was shown; the hints used in
    this workspace since. Raises HistoryError."""
    where = _required_location()
    with _connection(where, create=True) as connection, _transaction(connection):
        connection.execute("INSERT INTO hints (workspace, challenge, test, level, shown_at, attempt_id) "
                           "VALUES (?, ?, ?, ?, ?, ?)", (workspace, challenge, test, level, time.time(), attempt_id))
        return _hints_used(connection, workspace, challenge)


def _hints_used(connection: sqlite3.Connection, workspace: str, challenge: str) -> int:
    return connection.execute("SELECT count(*) FROM hints WHERE workspace = ? AND challenge = ?",
                              (workspace, challenge)).fetchone()[0]


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------

def _required_location() -> Path:
    where = location()
    if where is None:
        raise HistoryOff(f"The history is off (${ENV_VAR}={os.environ.get(ENV_VAR, '')}). Unset {ENV_VAR} (or "
                         "point it at a file) and run `grader test` again.")
    return where


def attempts(*, challenge: str | None = None, workspace: str | None = None,
             under: str | None = None) -> list[Attempt]:
    """Attempts in the order they were made: of one challenge, one
    workspace, or every workspace at or below the folder ``under``."""
    where = _required_location()
    clauses, values = [], []
    if challenge is not None:
        clauses.append("challenge = ?")
        values.append(challenge)
    if workspace is not None:
        clauses.append("workspace = ?")
        values.append(workspace)
    if under is not None:
        prefix = under.rstrip("/") + "/"
        clauses.append("(workspace = ? OR substr(workspace, 1, ?) = ?)")
        values += [under, len(prefix), prefix]
    sql = "SELECT * FROM attempts" + (" WHERE " + " AND ".join(clauses) if clauses else "") + " ORDER BY id"
    with _connection(where, create=False) as connection:
        if connection is None:
            return []
        connection.row_factory = sqlite3.Row
        return [found for found in map(_attempt, connection.execute(sql, values)) if found is not None]


def hints_shown(workspace: str, challenge: str) -> dict[str, int]:
    """The highest hint level shown so far, by test."""
    where = _required_location()
    with _connection(where, create=False) as connection:
        if connection is None:
            return {}
        rows = connection.execute("SELECT test, max(level) FROM hints WHERE workspace = ? AND challenge = ? "
                                  "AND typeof(level) = 'integer' GROUP BY test", (workspace, challenge)).fetchall()
        return {_text(test): level for test, level in rows}


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _attempt(row: sqlite3.Row) -> Attempt | None:
    """The row as an Attempt; None for a row edited past reading (a time
    that is no time, a score that is no number): the file is the
    candidate's, and one bad row must not make the rest unreadable."""
    try:
        tests = tuple((str(name), str(status)) for name, status in json.loads(row["tests"]))
        failures = tuple(Failure(**{key: str(item.get(key, "")) for key in
                                    ("name", "status", "message", "counterexample", "description")})
                         for item in json.loads(row["failures"]))
    except (ValueError, TypeError, AttributeError):
        tests, failures = (), ()      # an edited row: show the attempt without its tests
    try:
        recorded_at = float(row["recorded_at"])
        datetime.datetime.fromtimestamp(recorded_at)        # one the table can show
        datetime.datetime.fromtimestamp(recorded_at, datetime.timezone.utc)
        return Attempt(id=int(row["id"]), workspace=_text(row["workspace"]), challenge=_text(row["challenge"]),
                       command=_text(row["command"]), recorded_at=recorded_at, seed=int(row["seed"]),
                       verdict=_text(row["verdict"]), score=float(row["score"]), max_score=float(row["max_score"]),
                       complexity_checked=bool(row["complexity_checked"]), feedback=_text(row["feedback"]),
                       grader_version=_text(row["grader_version"]),
                       challenge_version=int(row["challenge_version"]),
                       submission_sha256=_text(row["submission_sha256"]), hints_used=int(row["hints_used"]),
                       tests=tests, failures=failures)
    except (ValueError, TypeError, OverflowError, OSError):
        return None
