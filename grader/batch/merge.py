"""``grader merge``: the results of several shards (their databases or
their JSON lines) as one batch, and a check that no shard is missing.

Each ``grader grade`` run records in its database which shard it was and
how many submissions the whole batch had, so the merge can say "shard 3/4
is missing" rather than quietly report three quarters of a class.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

from grader.batch.store import Store, not_a_results_database
from grader.errors import UsageError

SQLITE_MAGIC = b"SQLite format 3\x00"
GIVE_INPUTS = "give the --db files or the results.jsonl files that `grader grade` wrote."


@dataclasses.dataclass
class Merged:
    items: dict = dataclasses.field(default_factory=dict)       # label -> report
    shards: dict = dataclasses.field(default_factory=dict)      # count -> {index: submissions in that shard}
    totals: set = dataclasses.field(default_factory=set)        # the batch sizes the runs saw
    conflicts: list = dataclasses.field(default_factory=list)   # labels whose inputs disagree
    sources: dict = dataclasses.field(default_factory=dict)     # label -> the input it came from
    databases: list = dataclasses.field(default_factory=list)
    content_keys: dict = dataclasses.field(default_factory=dict)  # label -> its content key, from a database

    def sorted_items(self) -> list:
        return sorted(self.items.items())

    def missing_shards(self) -> list[str]:
        return [f"{index}/{count}" for count, seen in sorted(self.shards.items())
                for index in range(1, count + 1) if index not in seen]


def is_database(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def _add(merged: Merged, label: str, report: dict, source: Path) -> None:
    """Within one input the latest result for a path wins (the code there
    may have changed between runs); two inputs disagreeing is a conflict."""
    known = merged.items.get(label)
    if (known is not None and merged.sources[label] != source
            and known.get("submission_sha256") != report.get("submission_sha256")):
        merged.conflicts.append(f"{label} ({merged.sources[label]} and {source})")
    merged.items[label] = report
    merged.sources[label] = source


def _read_database(merged: Merged, path: Path) -> None:
    try:
        # as_uri escapes a "#" or "?" in the name, which would end a plain "file:" URI
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            # The latest result for each place a submission was seen.
            rows = connection.execute(
                "SELECT p.label, p.path, r.report, p.submission_sha256 FROM paths p JOIN results r "
                "ON r.submission_sha256 = p.submission_sha256 AND r.challenge = p.challenge "
                "ORDER BY p.seen_at, r.graded_at").fetchall()
            runs = connection.execute("SELECT shard, submissions_total, submissions_in_shard FROM runs").fetchall()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise not_a_results_database(path, exc, GIVE_INPUTS) from None
    for label, resolved, report, content_key in rows:
        _add(merged, label or resolved, json.loads(report), path)
        merged.content_keys[label or resolved] = content_key
    for shard, total, in_shard in runs:
        index, count = (int(part) for part in shard.split("/"))
        merged.shards.setdefault(count, {})[index] = in_shard
        merged.totals.add(total)
    merged.databases.append(path)


def _read_jsonl(merged: Merged, path: Path) -> None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:    # neither SQLite nor text: random bytes, a damaged header
        raise not_a_results_database(path, "nor a results.jsonl: it is not UTF-8 text", GIVE_INPUTS) from None
    except OSError as exc:
        raise UsageError(f"Cannot read {path}: {exc}.") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            report = json.loads(line)
            label = report["submission"]    # kept in the report: a line's signature covers it
        except (ValueError, KeyError, AttributeError, TypeError):
            raise UsageError(f"{path} line {number} is not a report of `grader grade --format jsonl` (and the "
                             f"file is not a results database); {GIVE_INPUTS}") from None
        _add(merged, label, report, path)


def read_inputs(paths: list[Path]) -> Merged:
    merged = Merged()
    for path in paths:
        if not path.is_file():
            raise UsageError(f"{path} is not a file. Give the shards' --db files or results.jsonl files.")
        (_read_database if is_database(path) else _read_jsonl)(merged, path)
    return merged


def copy_databases(sources: list[Path], target: Path) -> None:
    """Every row of every source database into ``target``, so a later
    ``grader grade --db TARGET`` finds the whole batch graded."""
    with Store(target):
        pass    # creates the file and its tables
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        for number, source in enumerate(sources):
            if source.resolve() == Path(target).resolve():
                continue
            alias = f"shard{number}"
            connection.execute(f"ATTACH DATABASE ? AS {alias}", (str(source),))
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(f"INSERT OR REPLACE INTO results SELECT * FROM {alias}.results")
            connection.execute(f"INSERT OR REPLACE INTO paths (submission_sha256, challenge, path, seen_at, label) "
                               f"SELECT submission_sha256, challenge, path, seen_at, label FROM {alias}.paths")
            if connection.execute(f"SELECT 1 FROM {alias}.sqlite_master WHERE name = 'fingerprints'").fetchone():
                connection.execute(f"INSERT OR REPLACE INTO fingerprints SELECT * FROM {alias}.fingerprints")
            connection.execute(f"INSERT INTO gradings (submission_sha256, challenge, challenge_version, "
                               f"grader_version, path, started_at, finished_at, worker_pid) SELECT "
                               f"submission_sha256, challenge, challenge_version, grader_version, path, started_at, "
                               f"finished_at, worker_pid FROM {alias}.gradings")
            connection.execute(f"INSERT INTO runs (shard, submissions_total, submissions_in_shard, grader_version, "
                               f"settings, started_at) SELECT shard, submissions_total, submissions_in_shard, "
                               f"grader_version, settings, started_at FROM {alias}.runs")
            connection.execute("COMMIT")
            connection.execute(f"DETACH DATABASE {alias}")
    except sqlite3.Error as exc:
        raise UsageError(f"Cannot merge into {target}: {exc}.") from None
    finally:
        connection.close()
