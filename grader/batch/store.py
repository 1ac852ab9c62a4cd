"""The results database: one SQLite file, one committed row per graded
submission, so a killed run loses at most the submissions in progress.

A result is keyed by (submission content hash, challenge, challenge
version, grader version): the same code at two paths is graded once, and a
new grader or a new challenge version grades it again. ``settings`` (seed,
examples, complexity) must match too, or the stored result is replaced.
Every grading also appends a row to ``gradings``, the audit log that shows
nothing was graded twice. ``fingerprints`` holds each submission's
similarity fingerprints and its code's text, keyed like its result, so a
resumed run or merged shards give the same similarity report as one run.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from grader import __version__
from grader.errors import GraderError

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    submission_sha256 TEXT NOT NULL,
    challenge TEXT NOT NULL,
    challenge_version INTEGER NOT NULL,
    grader_version TEXT NOT NULL,
    settings TEXT NOT NULL,
    verdict TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    challenge_sha256 TEXT NOT NULL,
    report TEXT NOT NULL,
    graded_at REAL NOT NULL,
    PRIMARY KEY (submission_sha256, challenge, challenge_version, grader_version)
);
CREATE TABLE IF NOT EXISTS paths (
    submission_sha256 TEXT NOT NULL,
    challenge TEXT NOT NULL,
    path TEXT NOT NULL,
    seen_at REAL NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (submission_sha256, challenge, path)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    shard TEXT NOT NULL,
    submissions_total INTEGER NOT NULL,
    submissions_in_shard INTEGER NOT NULL,
    grader_version TEXT NOT NULL,
    settings TEXT NOT NULL,
    started_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS fingerprints (
    submission_sha256 TEXT NOT NULL,
    challenge TEXT NOT NULL,
    challenge_version INTEGER NOT NULL,
    grader_version TEXT NOT NULL,
    settings TEXT NOT NULL,
    fingerprints TEXT NOT NULL,
    files TEXT NOT NULL,
    problem TEXT NOT NULL,
    PRIMARY KEY (submission_sha256, challenge, challenge_version, grader_version)
);
CREATE TABLE IF NOT EXISTS gradings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_sha256 TEXT NOT NULL,
    challenge TEXT NOT NULL,
    challenge_version INTEGER NOT NULL,
    grader_version TEXT NOT NULL,
    path TEXT NOT NULL,
    started_at REAL NOT NULL,
    finished_at REAL NOT NULL,
    worker_pid INTEGER NOT NULL
);
"""

Key = tuple  # (submission_sha256, challenge, challenge_version, grader_version)


class StoreError(GraderError):
    """The database cannot be opened or written (a full disk, a read-only
    folder)."""

    exit_code = 3


class NotAResultsDatabase(StoreError):
    """The file is not ours (not SQLite, another program's database) or is
    damaged: bad input (exit 2), and never written to."""

    exit_code = 2


def not_a_results_database(path: Path, detail: str, hint: str) -> NotAResultsDatabase:
    return NotAResultsDatabase(f"{path} is not a grader results database ({detail}); {hint}")


def is_damaged(exc: sqlite3.Error) -> bool:
    """SQLite's "file is not a database" and "database disk image is
    malformed": Python raises these (and no error of a disk or a lock) as a
    plain DatabaseError."""
    return type(exc) is sqlite3.DatabaseError


USE_ANOTHER = "give the file `grader grade --db` wrote, or a new name."


class Store:
    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._refuse_other_databases()
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")   # a committed result survives a crash
            self._db.executescript(SCHEMA)
            self._add_missing_columns()
        except (sqlite3.Error, OSError) as exc:
            if isinstance(exc, sqlite3.Error) and is_damaged(exc):
                raise not_a_results_database(self.path, exc, USE_ANOTHER) from None
            raise StoreError(f"Cannot open the results database {self.path}: {exc}. "
                             "Choose another file with --db.") from None

    def _refuse_other_databases(self) -> None:
        """Before writing anything: a database with tables but not ours
        belongs to another program (an empty file is a new database)."""
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "results" not in tables:
            shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
            raise not_a_results_database(self.path, f"it holds other tables: {shown}", USE_ANOTHER)

    def _add_missing_columns(self) -> None:
        """Databases written by an earlier grader lack ``paths.label``."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(paths)")}
        if "label" not in columns:
            self._db.execute("ALTER TABLE paths ADD COLUMN label TEXT NOT NULL DEFAULT ''")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _write(self, statements: list[tuple[str, tuple]]) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, args in statements:
                    self._db.execute(sql, args)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except (sqlite3.Error, OSError) as exc:
            if isinstance(exc, sqlite3.Error) and is_damaged(exc):
                raise not_a_results_database(self.path, exc, USE_ANOTHER) from None
            raise StoreError(f"Cannot write to the results database {self.path}: {exc}. Every result "
                             "committed before this one is kept; free some space and run again to "
                             "grade the rest.") from None

    def lookup(self, key: Key, settings: str) -> dict | None:
        """The stored report for ``key`` graded with ``settings``, if any."""
        try:
            row = self._db.execute(
                "SELECT report FROM results WHERE submission_sha256=? AND challenge=? AND challenge_version=? "
                "AND grader_version=? AND settings=?", (*key, settings)).fetchone()
        except sqlite3.DatabaseError as exc:   # damage SQLite meets only on reading that page
            if is_damaged(exc):
                raise not_a_results_database(self.path, exc, USE_ANOTHER) from None
            raise
        return json.loads(row[0]) if row else None

    def record_paths(self, entries: list[tuple[str, str, str, str]]) -> None:
        """Remember where each (content hash, challenge) was seen:
        (hash, challenge, resolved path, the path as the user wrote it)."""
        now = time.time()
        self._write([("INSERT OR REPLACE INTO paths (submission_sha256, challenge, path, seen_at, label) "
                      "VALUES (?, ?, ?, ?, ?)", (sha, slug, path, now, label)) for sha, slug, path, label in entries])

    def record_run(self, shard: str, total: int, in_shard: int, settings: str) -> None:
        self._write([("INSERT INTO runs (shard, submissions_total, submissions_in_shard, grader_version, settings, "
                      "started_at) VALUES (?, ?, ?, ?, ?, ?)", (shard, total, in_shard, __version__, settings,
                                                                time.time()))])

    def lookup_fingerprints(self, key: Key, settings: str) -> tuple | None:
        """(fingerprints JSON, {file: text}, problem) stored for ``key`` with these similarity settings, if any."""
        try:
            row = self._db.execute(
                "SELECT fingerprints, files, problem FROM fingerprints WHERE submission_sha256=? AND challenge=? "
                "AND challenge_version=? AND grader_version=? AND settings=?", (*key, settings)).fetchone()
        except sqlite3.DatabaseError as exc:
            if is_damaged(exc):
                raise not_a_results_database(self.path, exc, USE_ANOTHER) from None
            raise
        if row is None:
            return None
        try:
            return json.loads(row[0]), json.loads(row[1]), row[2]
        except (ValueError, TypeError):     # an edited or damaged row: made again, and stored over it
            return None

    def save_fingerprints(self, key: Key, settings: str, fingerprints: dict | None, files: dict | None,
                          problem: str) -> None:
        """A submission's similarity fingerprints (grader/similarity), or why it has none, keyed like its result."""
        self._write([("INSERT OR REPLACE INTO fingerprints VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      (*key, settings, json.dumps(fingerprints), json.dumps(files, ensure_ascii=False), problem))])

    def save(self, key: Key, settings: str, report: dict, *, path: str, started_at: float,
             finished_at: float, worker_pid: int) -> None:
        """Store one result and its grading-log row, in one transaction."""
        self._write([
            ("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             (*key, settings, report["verdict"], float(report["score"]), float(report["max_score"]),
              report.get("challenge_sha256", ""), json.dumps(report, ensure_ascii=False), finished_at)),
            ("INSERT INTO gradings (submission_sha256, challenge, challenge_version, grader_version, path, "
             "started_at, finished_at, worker_pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
             (*key, path, started_at, finished_at, worker_pid)),
        ])


def settings_text(seed: int, max_examples: int, complexity: bool, assessment: str = "") -> str:
    """What else decides a result besides the key, as a stable string
    (``assessment``: the sha256 of the grader.toml whose limits applied)."""
    settings = {"seed": seed, "max_examples": max_examples, "complexity": complexity}
    if assessment:
        settings["assessment"] = assessment
    return json.dumps(settings, sort_keys=True)
