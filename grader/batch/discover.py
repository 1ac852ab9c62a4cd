"""PATH arguments -> the submissions in them, each with its challenge.

Three layouts, mixed freely: a submission folder (it holds solution.py); a
repository of ``<slug>/solution.py`` folders; a folder of candidates'
folders, each one of the two before, at any depth.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

from grader.catalog import Catalog, Challenge
from grader.constants import MARKER_FILE, SOLUTION_FILE
from grader.errors import ChallengeUndetermined, UsageError
from grader.submission import SKIPPED_DIRS, SubmissionProblem, marker_challenge, read_files, submission_hash

MAX_DEPTH = 8


@dataclasses.dataclass(frozen=True)
class Found:
    label: str          # the path as the user would write it
    path: Path
    challenge: Challenge
    sha256: str         # the content key: what the results database is keyed by


def _own_slug(folder: Path, catalog: Catalog) -> str | None:
    named = marker_challenge(folder)
    if named:
        return named
    name = folder.resolve().name
    return name if name in catalog else None


def _walk(folder: Path, catalog: Catalog, depth: int, inherited: str | None,
          out: list[tuple[Path, str | None]]) -> bool:
    """Collect (submission, slug or None) under ``folder``; True if any.

    A folder named for a challenge (or marked) with no solution.py and no
    submission below is still one: grading it says solution.py is missing,
    rather than skipping a candidate silently. Folders below a challenge's
    folder inherit its slug (``lru-cache/alice/solution.py``)."""
    slug = _own_slug(folder, catalog) or inherited
    if (folder / SOLUTION_FILE).exists() or (folder / SOLUTION_FILE).is_symlink():
        out.append((folder, slug))
        return True
    found = False
    if depth < MAX_DEPTH:
        try:
            children = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            children = []
        for entry in children:
            if entry.name.startswith(".") or entry.name in SKIPPED_DIRS or entry.is_symlink():
                continue
            if entry.is_dir():
                found = _walk(Path(entry.path), catalog, depth + 1, slug, out) or found
    if not found and _own_slug(folder, catalog):
        out.append((folder, slug))
        return True
    return found


def content_sha256(path: Path) -> str:
    """The submission hash the report carries; for a submission that cannot
    even be read, a stand-in derived from where it is and why."""
    try:
        return submission_hash(read_files(path)[1])
    except SubmissionProblem as problem:
        return "unreadable-" + hashlib.sha256(f"{path.resolve()}\0{problem.message}".encode()).hexdigest()


def discover(paths: list[Path], catalog: Catalog, forced_slug: str | None = None) -> list[Found]:
    """Every submission under ``paths``, once each, in a stable order."""
    located: list[tuple[Path, str | None]] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path} does not exist. Give submission folders, or folders that hold them.")
        if path.is_file():
            if path.suffix != ".py":
                raise UsageError(f"{path} is not a Python file or a folder.")
            located.append((path, _own_slug(path.parent, catalog)))
        else:
            _walk(path, catalog, 0, None, located)
    found, seen, undetermined = [], set(), []
    for path, slug in located:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        slug = forced_slug or slug
        if slug is None:
            undetermined.append(str(path))
            continue
        found.append(Found(label=str(path), path=path, challenge=catalog.get(slug), sha256=content_sha256(path)))
    if undetermined:
        shown = ", ".join(undetermined[:5]) + (f" and {len(undetermined) - 5} more" if len(undetermined) > 5 else "")
        raise ChallengeUndetermined(
            f"Cannot tell which challenge these submissions are for: {shown}. Name each folder after its "
            f"challenge, add a {MARKER_FILE} marker (challenge = \"SLUG\"), or pass --challenge SLUG.")
    if not found:
        raise UsageError(f"No submission found in {', '.join(map(str, paths))}: a submission is a folder "
                         f"holding {SOLUTION_FILE}.")
    return found
