"""PATH arguments -> the submissions in them, each with its challenge.

Three layouts, mixed freely: a submission folder (it holds solution.py); a
repository of ``<slug>/solution.py`` folders; a folder of candidates'
folders, each one of the two before, at any depth.

Everything in the PATHs may be a candidate's, so the folder layout decides
each submission's challenge: the nearest folder named after a challenge, the
submission's own or one above it (``lru-cache/alice/solution.py`` is
lru-cache). A ``.grader.toml`` marker in that folder or below it never
changes that: one that names another challenge, names none that exists or
is malformed makes that submission's result an ``error`` (``Found.problem``;
the worker writes it without running anything) and the rest of the batch is
graded. Only where no folder is named after a challenge does the nearest
marker at or below PATH decide, as for ``grader submit``. ``--challenge``
always wins.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

from grader import __version__
from grader.catalog import Catalog, Challenge
from grader.constants import MARKER_FILE, SOLUTION_FILE
from grader.errors import ChallengeUndetermined, UsageError
from grader.fileio import printable_path
from grader.submission import (SKIPPED_DIRS, Marker, SubmissionProblem, marker_challenge, read_files, read_marker,
                               submission_hash)

MAX_DEPTH = 8
REFUSED = "refused-"        # the content key of a submission refused before grading


@dataclasses.dataclass(frozen=True)
class Found:
    label: str          # the path as the user would write it
    path: Path
    challenge: Challenge
    sha256: str         # the content key: what the results database is keyed by
    problem: str = ""   # when set: not graded; its result is an error with this message


def _claims_a_challenge(folder: Path, catalog: Catalog) -> bool:
    return marker_challenge(folder) is not None or folder.resolve().name in catalog


def _walk(folder: Path, catalog: Catalog, depth: int, out: list[Path]) -> bool:
    """Collect the submissions under ``folder``; True if any.

    A folder named for a challenge (or marked) with no solution.py and no
    submission below is still one: grading it says solution.py is missing,
    rather than skipping a candidate silently."""
    if (folder / SOLUTION_FILE).exists() or (folder / SOLUTION_FILE).is_symlink():
        out.append(folder)
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
                found = _walk(Path(entry.path), catalog, depth + 1, out) or found
    if not found and _claims_a_challenge(folder, catalog):
        out.append(folder)
        return True
    return found


def _folders_up(folder: Path, root: Path) -> tuple[list[Path], list[Path]]:
    """(the folders from ``folder`` up to the PATH ``root``, both included;
    the real folders above ``root``, nearest first)."""
    inside, current = [folder], folder
    while current != root and current.parent != current:
        current = current.parent
        inside.append(current)
    return inside, list(root.resolve().parents)


def _conflict(marker: Marker, folder: Path, layout: str) -> str:
    where = f"its {MARKER_FILE}" if marker.path.parent == folder else f"the {MARKER_FILE} in {marker.path.parent}"
    said = (f"{where} is malformed (it {marker.problem})" if marker.challenge is None
            else f"{where} says '{marker.challenge}'")
    return f"{said} but it sits in the {layout} folder"


def challenge_of(folder: Path, root: Path, catalog: Catalog) -> tuple[str | None, str, str]:
    """Which challenge the submission in ``folder`` (found in the PATH
    ``root``) is for: (slug or None, conflict, why it cannot be told).

    The nearest folder named after a challenge, ``folder`` itself or one
    above it, decides; ``conflict`` then says which marker in that folder or
    below it disagrees (names another challenge, one that does not exist,
    or is malformed). With no such folder, the nearest marker between
    ``folder`` and ``root`` decides."""
    inside, above = _folders_up(folder, root)
    chain = inside + above
    for index, current in enumerate(chain):
        layout = current.resolve().name
        if layout in catalog:
            for marked in chain[: index + 1]:
                marker = read_marker(marked)
                if marker is not None and marker.challenge != layout:
                    return layout, _conflict(marker, folder, layout), ""
            return layout, "", ""
    for current in inside:       # no layout: the nearest marker decides, as it always did
        named = marker_challenge(current)
        if named is None:
            continue
        if named in catalog:
            return named, "", ""
        return None, "", f"{folder} (its {MARKER_FILE} names '{named}', which is not a challenge)"
    return None, "", str(folder)


def batch_problem(conflict: str, layout: str) -> str:
    """The error result's message for a submission whose marker disagrees with the layout."""
    return (f"Not graded: {conflict}; markers never choose the challenge in a batch (the folder layout does). "
            f"Remove the marker or make it say challenge = \"{layout}\", or grade this folder alone with "
            "--challenge SLUG.")


def content_sha256(path: Path) -> str:
    """The submission hash the report carries; for a submission that cannot
    even be read, a stand-in derived from where it is and why."""
    try:
        return submission_hash(read_files(path)[1])
    except SubmissionProblem as problem:
        return "unreadable-" + hashlib.sha256(os.fsencode(path.resolve()) + b"\0"
                                              + problem.message.encode("utf-8", "backslashreplace")).hexdigest()


def discover(paths: list[Path], catalog: Catalog, forced_slug: str | None = None) -> list[Found]:
    """Every submission under ``paths``, once each, in a stable order."""
    located: list[tuple[Path, Path]] = []          # (submission, the PATH it was found in)
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path} does not exist. Give submission folders, or folders that hold them.")
        if path.is_file():
            if path.suffix != ".py":
                raise UsageError(f"{path} is not a Python file or a folder.")
            located.append((path, path.parent))
        else:
            found_here: list[Path] = []
            _walk(path, catalog, 0, found_here)
            located.extend((submission, path) for submission in found_here)
    found, seen, undetermined = [], set(), []
    for path, root in located:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        folder = path.parent if path.is_file() else path
        slug, conflict, unknown = (forced_slug, "", "") if forced_slug else challenge_of(folder, root, catalog)
        if slug is None:
            undetermined.append(unknown)
            continue
        problem = batch_problem(conflict, slug) if conflict else ""
        sha256 = content_sha256(path)
        if problem:
            sha256 = REFUSED + hashlib.sha256(f"{sha256}\0{problem}".encode()).hexdigest()
        found.append(Found(label=printable_path(path), path=path, challenge=catalog.get(slug), sha256=sha256, problem=problem))
    if undetermined:
        shown = ", ".join(undetermined[:5]) + (f" and {len(undetermined) - 5} more" if len(undetermined) > 5 else "")
        raise ChallengeUndetermined(
            f"Cannot tell which challenge these submissions are for: {shown}. Name each folder after its "
            f"challenge, add a {MARKER_FILE} marker (challenge = \"SLUG\"), or pass --challenge SLUG.")
    if not found:
        raise UsageError(f"No submission found in {', '.join(map(str, paths))}: a submission is a folder "
                         f"holding {SOLUTION_FILE}.")
    return found


def refused_report(path: Path, challenge: Challenge, problem: str, sandbox: str, options):
    """The ``error`` report of a submission refused before grading (nothing
    ran): stored, signed and written like any other result."""
    from grader.report.model import Report
    content = content_sha256(path)
    return Report(challenge=challenge.slug, verdict="error", score=0.0, max_score=challenge.max_score, tests=(),
                  complexity=(), rules=(), timed_out=False, memory_exceeded=False, sandbox=sandbox,
                  seed=options.seed, submission_sha256="" if content.startswith("unreadable-") else content,
                  message=problem, grader_version=__version__, challenge_version=challenge.version,
                  challenge_sha256=challenge.content_sha256(),
                  assessment=options.assessment.for_challenge(challenge.slug) if options.assessment else None)
