"""Reading a submission from disk, checking it can be graded at all.

Everything that would make grading impossible (no solution.py, a folder in
its place, unreadable or non-UTF-8 bytes, a syntax error, a symlink out of
the submission, too much data) becomes a ``SubmissionProblem`` with a
message for the candidate. What is returned is an in-memory copy, so the
sandbox never sees the original folder.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import os
from pathlib import Path

from grader.constants import (MARKER_FILE, MAX_SOURCE_BYTES, MAX_SUBMISSION_BYTES,
                              MAX_SUBMISSION_FILES, SOLUTION_FILE)

SKIPPED_DIRS = {"__pycache__", ".git", ".hg", ".venv", "venv", "env", "node_modules", ".hypothesis",
                ".pytest_cache", ".mypy_cache", ".tox"}


class SubmissionProblem(Exception):
    """The submission cannot be graded; the message says why and what to do."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclasses.dataclass(frozen=True)
class Submission:
    folder: Path
    files: dict            # relative posix path -> bytes (only .py files)
    trees: dict            # relative posix path -> ast.Module
    sha256: str


def submission_hash(files: dict) -> str:
    """sha256 over every file's relative path and bytes, in path order."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + files[name] + b"\0")
    return digest.hexdigest()


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def _python_files(folder: Path) -> list[Path]:
    found = []
    for current, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(names):
            if name.endswith(".py"):
                found.append(Path(current) / name)
        for name in list(dirs):
            if (Path(current) / name).is_symlink():
                dirs.remove(name)
                if not _inside(Path(current) / name, folder):
                    raise SubmissionProblem(
                        f"{(Path(current) / name).relative_to(folder)} is a symbolic link that points outside "
                        "the submission. Replace it with the real files.")
    return found


def read_source(path: Path, relative: str, root: Path) -> bytes:
    if path.is_symlink() and not _inside(path, root):
        raise SubmissionProblem(f"{relative} is a symbolic link that points outside the submission. "
                                "Replace it with the real file.")
    if path.is_dir():
        raise SubmissionProblem(f"{relative} is a folder, not a file. Put your code in a file named {relative}.")
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SubmissionProblem(f"{relative} is {size} bytes; the limit is {MAX_SOURCE_BYTES} bytes.")
        with open(path, "rb") as handle:
            return handle.read(MAX_SOURCE_BYTES + 1)
    except PermissionError:
        raise SubmissionProblem(f"{relative} cannot be read (permission denied). "
                                f"Make it readable, e.g. chmod u+r {relative}.") from None
    except OSError as exc:
        raise SubmissionProblem(f"{relative} cannot be read: {exc.strerror or exc}.") from None


def parse(relative: str, content: bytes) -> ast.Module:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise SubmissionProblem(f"{relative} is not valid UTF-8 (bad byte at line {line}). "
                                "Save the file as UTF-8.", line=line) from None
    try:
        return ast.parse(text, filename=relative)
    except SyntaxError as exc:
        where = f"line {exc.lineno}" if exc.lineno else "an unknown line"
        raise SubmissionProblem(f"{relative} has a syntax error at {where}: {exc.msg}. "
                                "Run it with python to see the error.", line=exc.lineno) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise SubmissionProblem(f"{relative} cannot be parsed: {type(exc).__name__}: {exc}.") from None


def load(path: Path) -> Submission:
    """Read and check a submission folder (or a single .py file)."""
    folder, files = read_files(path)
    trees = {relative: parse(relative, content) for relative, content in files.items()}
    return Submission(folder=folder, files=files, trees=trees, sha256=submission_hash(files))


def read_files(path: Path) -> tuple[Path, dict]:
    """(the folder, its .py files' bytes by relative path), unparsed: enough
    to hash a submission whose code does not even compile."""
    if path.is_file() and path.suffix == ".py":
        folder = path.parent
        paths = {SOLUTION_FILE: path}
    else:
        folder = path
        solution = folder / SOLUTION_FILE
        if not solution.exists() and not solution.is_symlink():
            raise SubmissionProblem(f"There is no {SOLUTION_FILE} in {folder}. Put your solution in a file "
                                    f"named {SOLUTION_FILE} (see `grader start`).")
        paths = {SOLUTION_FILE: solution}
        for file in _python_files(folder):
            relative = file.relative_to(folder).as_posix()
            paths.setdefault(relative, file)
    if len(paths) > MAX_SUBMISSION_FILES:
        raise SubmissionProblem(f"The submission has {len(paths)} Python files; the limit is {MAX_SUBMISSION_FILES}.")
    files, total = {}, 0
    for relative, file in paths.items():
        content = read_source(file, relative, folder)
        total += len(content)
        if total > MAX_SUBMISSION_BYTES:
            raise SubmissionProblem(f"The submission's Python files exceed {MAX_SUBMISSION_BYTES >> 20} MiB.")
        files[relative] = content
    return folder, files


MAX_MARKER_BYTES = 4096


@dataclasses.dataclass(frozen=True)
class Marker:
    """A workspace's ``.grader.toml`` marker as read: the challenge it names,
    or (``challenge`` None) why it names none."""
    path: Path
    challenge: str | None
    problem: str = ""


def read_marker(folder: Path) -> Marker | None:
    """The folder's marker, or None when it has none. The file is the
    candidate's: at most MAX_MARKER_BYTES are read, and anything that is not
    ``challenge = "SLUG"`` in UTF-8 TOML is a Marker with a problem."""
    from grader import toml
    marker = folder / MARKER_FILE
    if marker.is_symlink():
        return Marker(marker, None, "is a symbolic link")
    if not marker.is_file():
        return None
    try:
        with open(marker, "rb") as handle:
            data = handle.read(MAX_MARKER_BYTES + 1)
    except OSError as exc:
        return Marker(marker, None, f"cannot be read ({exc.strerror or exc})")
    if len(data) > MAX_MARKER_BYTES:
        return Marker(marker, None, f"is larger than {MAX_MARKER_BYTES} bytes")
    try:
        value = toml.loads(data.decode("utf-8")).get("challenge")
    except UnicodeDecodeError:
        return Marker(marker, None, "is not valid UTF-8")
    except toml.TOMLDecodeError as exc:
        return Marker(marker, None, f"is not valid TOML ({exc})")
    if not isinstance(value, str):
        return Marker(marker, None, "has no challenge = \"SLUG\" line" if value is None
                      else f"has challenge = {value!r}, which is not a string")
    return Marker(marker, value)


def marker_challenge(folder: Path) -> str | None:
    """The challenge named by a workspace's marker file, if there is one."""
    marker = read_marker(folder)
    return marker.challenge if marker is not None else None
