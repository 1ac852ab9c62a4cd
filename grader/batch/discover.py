"""PATH arguments -> the submissions in them, each with its challenge.

Three layouts, mixed freely: a submission folder (it holds solution.py); a
repository of ``<slug>/solution.py`` folders; a folder of candidates'
folders, each one of the two before, at any depth. A ``.zip`` (a PATH, or
in a folder where a candidate's folder could be) counts as the folder it
holds, named after the zip's stem: grader/batch/archive.py unpacks it. A
zip that is refused grades nothing: an error result for each challenge of
the batch (``--challenge``'s, the assessment's, or those of the other
submissions).

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
from grader.batch.archive import MARK, Unpacked, Unpacker, ZipRefused, fingerprint, is_zip
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
    origin: str = ""    # in a zip: the path the database records (``/real/alice.zip!/lru-cache``)
    shown: tuple = ()   # in a zip: (its temporary folder, what messages say instead)

    @property
    def recorded_path(self) -> str:
        return self.origin or printable_path(self.path.resolve())


def _claims_a_challenge(folder: Path, catalog: Catalog) -> bool:
    return marker_challenge(folder) is not None or folder.resolve().name in catalog


def _walk(folder: Path, catalog: Catalog, depth: int, out: list[Path], zips: bool = True) -> bool:
    """Collect the submissions under ``folder`` (and with ``zips``, the zips
    where a candidate's folder could be); True if any.

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
                found = _walk(Path(entry.path), catalog, depth + 1, out, zips) or found
            elif zips and entry.name.lower().endswith(".zip") and entry.is_file():
                out.append(Path(entry.path))
                found = True
    if not found and _claims_a_challenge(folder, catalog):
        out.append(folder)
        return True
    return found


def _folders_up(folder: Path, root: Path, above: list[Path] | None) -> tuple[list[Path], list[Path]]:
    """(the folders from ``folder`` up to the PATH ``root``, both included;
    the real folders above ``root`` (or ``above``), nearest first)."""
    inside, current = [folder], folder
    while current != root and current.parent != current:
        current = current.parent
        inside.append(current)
    return inside, list(root.resolve().parents) if above is None else above


def _conflict(marker: Marker, folder: Path, layout: str) -> str:
    where = f"its {MARKER_FILE}" if marker.path.parent == folder else f"the {MARKER_FILE} in {marker.path.parent}"
    said = (f"{where} is malformed (it {marker.problem})" if marker.challenge is None
            else f"{where} says '{marker.challenge}'")
    return f"{said} but it sits in the {layout} folder"


def challenge_of(folder: Path, root: Path, catalog: Catalog,
                 above: list[Path] | None = None) -> tuple[str | None, str, str]:
    """Which challenge the submission in ``folder`` (found in the PATH
    ``root``; in a zip: its unpacked root, with ``above`` the zip's real
    folders) is for: (slug or None, conflict, why it cannot be told).

    The nearest folder named after a challenge, ``folder`` itself or one
    above it, decides; ``conflict`` then says which marker in that folder or
    below it disagrees (names another challenge, one that does not exist,
    or is malformed). With no such folder, the nearest marker between
    ``folder`` and ``root`` decides."""
    inside, above = _folders_up(folder, root, above)
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


def content_sha256(path: Path, unpacked: Unpacked | None = None) -> str:
    """The submission hash the report carries; for a submission that cannot
    even be read, a stand-in derived from where it is and why (in a zip:
    the zip's path, not the temporary folder's, which changes every run)."""
    try:
        return submission_hash(read_files(path)[1])
    except SubmissionProblem as problem:
        where, message = os.fsencode(path.resolve()), problem.message
        if unpacked is not None:
            where, message = unpacked.origin(path).encode(), message.replace(*unpacked.shown)
        return "unreadable-" + hashlib.sha256(where + b"\0" + message.encode("utf-8", "backslashreplace")).hexdigest()


def discover(paths: list[Path], catalog: Catalog, forced_slug: str | None = None,
             unpacker: Unpacker | None = None, expected: tuple = ()) -> list[Found]:
    """Every submission under ``paths``, once each, in a stable order. Zips
    are looked at only with an ``unpacker``; ``expected`` (the assessment's
    challenges) are those a refused zip gets error results for."""
    located: list[tuple[Path, Path, Unpacked | None]] = []     # (submission, the PATH or zip root, the zip)
    refused: list[tuple[Path, ZipRefused]] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path} does not exist. Give submission folders, .zip files, or folders that hold them.")
        if path.is_file() and not (unpacker and is_zip(path)):
            if path.suffix != ".py":
                raise UsageError(f"{path} is not a Python file, a .zip or a folder.")
            located.append((path, path.parent, None))
            continue
        found_here: list[Path] = [path] if path.is_file() else []
        if path.is_dir():
            _walk(path, catalog, 0, found_here, zips=unpacker is not None)
        for item in found_here:
            if not is_zip(item):
                located.append((item, path, None))
                continue
            try:
                unpacked = unpacker.unpack(item)
            except ZipRefused as refusal:
                refused.append((item, refusal))
                continue
            inside: list[Path] = []
            _walk(unpacked.root, catalog, 0, inside, zips=False)   # a zip in the zip is data
            located.extend((submission, unpacked.root, unpacked) for submission in inside)
    found, seen, undetermined = [], set(), []
    for path, root, unpacked in located:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        folder = path.parent if path.is_file() else path
        show = (lambda text: text.replace(*unpacked.shown)) if unpacked else (lambda text: text)
        above = list(unpacked.zip_real.parents) if unpacked else None
        slug, conflict, unknown = (forced_slug, "", "") if forced_slug else challenge_of(folder, root, catalog, above)
        if slug is None:
            undetermined.append(show(unknown))
            continue
        problem = show(batch_problem(conflict, slug)) if conflict else ""
        sha256 = content_sha256(path, unpacked)
        if problem:
            sha256 = REFUSED + hashlib.sha256(f"{sha256}\0{problem}".encode()).hexdigest()
        found.append(Found(label=unpacked.label(path) if unpacked else printable_path(path), path=path,
                           challenge=catalog.get(slug), sha256=sha256, problem=problem,
                           origin=unpacked.origin(path) if unpacked else "", shown=unpacked.shown if unpacked else ()))
    if undetermined:
        shown = ", ".join(undetermined[:5]) + (f" and {len(undetermined) - 5} more" if len(undetermined) > 5 else "")
        raise ChallengeUndetermined(
            f"Cannot tell which challenge these submissions are for: {shown}. Name each folder after its "
            f"challenge, add a {MARKER_FILE} marker (challenge = \"SLUG\"), or pass --challenge SLUG.")
    if refused:
        slugs = [forced_slug] if forced_slug else list(expected) or list(dict.fromkeys(f.challenge.slug for f in found))
        if not slugs:
            raise UsageError("; ".join(str(refusal) for _, refusal in refused)
                             + ". No other submission was found, so there is nothing to grade.")
        for zip_path, refusal in refused:
            key = fingerprint(zip_path)
            found.extend(_refused_zip(zip_path, refusal, catalog.get(slug), key) for slug in slugs)
    if not found:
        raise UsageError(f"No submission found in {', '.join(map(str, paths))}: a submission is a folder "
                         f"holding {SOLUTION_FILE}.")
    return found


def _refused_zip(zip_path: Path, refusal: ZipRefused, challenge: Challenge, key: str) -> Found:
    """A refused zip's error result for ``challenge``, keyed by the zip's
    bytes (``key``: a re-run finds it already graded)."""
    problem = f"Not graded: {refusal}; nothing in the zip was graded."
    sha256 = REFUSED + hashlib.sha256(f"{key}\0{problem}".encode()).hexdigest()
    return Found(label=f"{printable_path(zip_path)}{MARK}/{challenge.slug}", path=zip_path, challenge=challenge,
                 sha256=sha256, problem=problem,
                 origin=f"{printable_path(zip_path.resolve())}{MARK}/{challenge.slug}")


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
