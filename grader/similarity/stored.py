"""Similarity fingerprints in the batch database: made once per submission
content, stored keyed like its result, read back by a resumed run and by
``grader merge``, so every way of running a batch gives the same report."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from grader import __version__
from grader.similarity.fingerprint import DEFAULT_K, DEFAULT_WINDOW, Fingerprints
from grader.similarity.report import Entry, read_entry
from grader.similarity.tokens import VERSION as TOKENS_VERSION

REFUSED = "not graded: refused before grading"
NOT_STORED = ("no fingerprints stored for it (graded by an older grader, or merged from a results.jsonl): "
              "merge the shards' --db files")


def settings_text(k: int = DEFAULT_K, window: int = DEFAULT_WINDOW) -> str:
    """What stored fingerprints were made with: a row made otherwise (another k, window or version of the
    tokens, by an older grader) is never compared with these; grade makes it again from the submission."""
    return json.dumps({"k": k, "window": window, "tokens": TOKENS_VERSION}, sort_keys=True)


def _entry(name: str, challenge: str, row: tuple) -> Entry:
    fingerprints, files, problem = row
    if problem or fingerprints is None:
        return Entry(name, challenge, None, None, problem or NOT_STORED)
    try:
        if isinstance(fingerprints, str):       # as a database holds it (merge)
            fingerprints, files = json.loads(fingerprints), json.loads(files)
        prints = Fingerprints.from_json(fingerprints)
        if not isinstance(files, dict) or not all(isinstance(text, str) for text in files.values()):
            raise TypeError("files")
    except (ValueError, KeyError, TypeError, AttributeError):
        return Entry(name, challenge, None, None, "its stored fingerprints are damaged: grade it again with --force")
    return Entry(name, challenge, files, prints)


def batch_entries(found_items: list, store) -> list:
    """Each graded submission's Entry: from the database when it holds one,
    else read from disk, fingerprinted and stored."""
    from grader.batch.run import key_of
    settings = settings_text()
    entries = []
    for found in found_items:
        key = key_of(found)
        row = store.lookup_fingerprints(key, settings)
        if row is None:
            if found.problem:
                entry = Entry(found.label, found.challenge.slug, None, None, REFUSED)
            else:
                entry = read_entry(found.label, found.challenge.slug, found.path)
            store.save_fingerprints(key, settings, entry.fingerprints.to_json() if entry.fingerprints else None,
                                    entry.files, entry.problem)
            row = (entry.fingerprints.to_json() if entry.fingerprints else None, entry.files, entry.problem)
        entries.append(_entry(found.label, found.challenge.slug, row))
    return entries


def merged_entries(items: list, content_keys: dict, databases: list) -> list:
    """The Entry of each merged (label, report), from the first database
    (in the order given; the latest of them wins) that stored its fingerprints."""
    settings = settings_text()
    rows: dict = {}
    for path in databases:
        try:
            connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
            try:
                tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                if "fingerprints" not in tables:
                    continue
                for sha, challenge, version, fingerprints, files, problem in connection.execute(
                        "SELECT submission_sha256, challenge, grader_version, fingerprints, files, problem "
                        "FROM fingerprints WHERE settings = ?", (settings,)):
                    current = rows.get((sha, challenge))
                    if current is None or version == __version__ or current[0] != __version__:
                        rows[(sha, challenge)] = (version, fingerprints, files, problem)
            finally:
                connection.close()
        except sqlite3.Error:
            continue            # merge itself has read this database: what cannot be read has no fingerprints
    entries = []
    for label, report in items:
        found = rows.get((content_keys.get(label), report.get("challenge")))
        row = found[1:] if found else (None, None, NOT_STORED)
        entries.append(_entry(label, report.get("challenge", ""), row))
    return entries
