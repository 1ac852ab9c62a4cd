"""Reading a submission from disk, checking it can be graded at all.

Everything that would make grading impossible (no solution.py, a folder in
its place, unreadable or non-UTF-8 bytes, a syntax error, a symlink out of
the submission, too much data) becomes a ``SubmissionProblem`` with a
message for the candidate. What is returned is an in-memory copy, so the
sandbox never sees the original folder.

The folder is the candidate's and may be hostile, so it is read
defensively: only regular files are opened (a named pipe, a device or a
socket is refused before any open, and the open file is checked again);
file names must be UTF-8; the folders are walked with an explicit stack, at
most ``MAX_FOLDER_DEPTH`` deep and ``MAX_DIRECTORY_ENTRIES`` names in all;
and code nested deeper than ``MAX_NESTING_DEPTH`` levels, which the static
rules could not walk, is refused with its line.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import os
import stat
from pathlib import Path

from grader.constants import (MARKER_FILE, MAX_SOURCE_BYTES, MAX_SUBMISSION_BYTES,
                              MAX_SUBMISSION_FILES, SOLUTION_FILE)

SKIPPED_DIRS = {"__pycache__", ".git", ".hg", ".venv", "venv", "env", "node_modules", ".hypothesis",
                ".pytest_cache", ".mypy_cache", ".tox"}

MAX_FOLDER_DEPTH = 64               # folders inside folders, below the submission's own
MAX_DIRECTORY_ENTRIES = 10_000      # names looked at to find the .py files (skipped folders are not looked into)
MAX_NESTING_DEPTH = 200             # levels of one file's syntax tree (Python refuses 200 nested brackets itself)

_SPECIAL_FILES = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                  (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
# Opening never waits (a named pipe with no writer) and never follows a symlink swapped in after the check.
_OPEN_FLAGS = os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


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
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0" + files[name] + b"\0")
    return digest.hexdigest()


def shown(name: str) -> str:
    """A file name as one line of text: bytes that are not UTF-8 as ``\\xNN``, control characters escaped."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def _outside(relative: str, what: str) -> SubmissionProblem:
    return SubmissionProblem(f"{shown(relative)} is a symbolic link that points outside the submission. "
                             f"Replace it with the real {what}.")


def python_files(folder: Path) -> list[Path]:
    """The .py files below ``folder`` in os.walk's top-down order, walked
    with an explicit stack (no recursion, however deep the folders), never
    into a symlinked folder, a dot-folder or one of ``SKIPPED_DIRS``; at most
    ``MAX_FOLDER_DEPTH`` folders deep and ``MAX_DIRECTORY_ENTRIES`` names."""
    found: list[Path] = []
    pending = [(folder, 0)]
    scanned = 0
    while pending:
        current, depth = pending.pop()
        entries = []
        try:
            with os.scandir(current) as listing:
                for entry in listing:
                    scanned += 1
                    if scanned > MAX_DIRECTORY_ENTRIES:
                        raise SubmissionProblem(
                            f"The submission folder holds more than {MAX_DIRECTORY_ENTRIES:,} files and folders "
                            "(not counting caches, .git and other dot-folders, venv and node_modules). A submission "
                            "is its Python files: remove the rest.")
                    entries.append(entry)
        except OSError:
            continue                # an unreadable folder is skipped, as os.walk skips it
        folders = []
        for entry in sorted(entries, key=lambda item: item.name):
            try:
                is_folder = entry.is_dir()      # through a symlink too, as os.walk sorts them
            except OSError as exc:              # a symlink loop (a.py -> a.py): not even a missing file
                raise SubmissionProblem(
                    f"{shown(Path(entry.path).relative_to(folder).as_posix())} cannot be read: "
                    f"{exc.strerror or exc}. Replace it with the real file or remove it.") from None
            if is_folder:
                if entry.name in SKIPPED_DIRS or entry.name.startswith("."):
                    continue
                if entry.is_symlink():
                    if not _inside(Path(entry.path), folder):
                        raise _outside(Path(entry.path).relative_to(folder).as_posix(), "files")
                    continue
                folders.append(Path(entry.path))
            elif entry.name.endswith(".py"):
                found.append(Path(entry.path))
        if folders and depth >= MAX_FOLDER_DEPTH:
            top = folders[0].relative_to(folder).parts[0]
            raise SubmissionProblem(
                f"The submission's folders are nested more than {MAX_FOLDER_DEPTH} levels deep (in {shown(top)}/). "
                "A submission is a few Python files: flatten the folders.")
        pending.extend((child, depth + 1) for child in reversed(folders))
    return found


def _special(info: os.stat_result) -> str | None:
    """What ``info`` is when it is neither a regular file nor a folder."""
    if stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode):
        return None
    return next((name for test, name in _SPECIAL_FILES if test(info.st_mode)), "a special file")


def _check_regular(info: os.stat_result, relative: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise SubmissionProblem(f"{shown(relative)} is a folder, not a file. "
                                f"Put your code in a file named {shown(relative)}.")
    kind = _special(info)
    if kind:
        raise SubmissionProblem(f"{shown(relative)} is not a regular file ({kind}); a submission holds only "
                                "ordinary files. Replace it with a regular file or remove it.")
    if info.st_size > MAX_SOURCE_BYTES:
        raise SubmissionProblem(f"{shown(relative)} is {info.st_size} bytes; the limit is {MAX_SOURCE_BYTES} bytes.")


def _opener(follow: bool):
    flags = _OPEN_FLAGS | (0 if follow else _NO_FOLLOW)
    return lambda name, mode: os.open(name, mode | flags)


def read_source(path: Path, relative: str, root: Path) -> bytes:
    """The bytes of one file of the submission, which must be a regular file.

    Its type and size come from lstat (and stat, through a symlink that
    stays inside ``root``) before anything is opened, and again from fstat
    of the open file: a named pipe, device or socket is never read, even one
    swapped in between the two."""
    try:
        info = os.lstat(path)
        linked = stat.S_ISLNK(info.st_mode)
        if linked:
            if not _inside(path, root):
                raise _outside(relative, "file")
            info = os.stat(path)
        _check_regular(info, relative)
        with open(path, "rb", opener=_opener(follow=linked)) as handle:
            _check_regular(os.fstat(handle.fileno()), relative)
            content = handle.read(MAX_SOURCE_BYTES + 1)
    except PermissionError:
        raise SubmissionProblem(f"{shown(relative)} cannot be read (permission denied). "
                                f"Make it readable, e.g. chmod u+r {shown(relative)}.") from None
    except OSError as exc:
        raise SubmissionProblem(f"{shown(relative)} cannot be read: {exc.strerror or exc}.") from None
    if len(content) > MAX_SOURCE_BYTES:         # it grew after the check
        raise SubmissionProblem(f"{shown(relative)} is more than {MAX_SOURCE_BYTES} bytes; "
                                f"the limit is {MAX_SOURCE_BYTES} bytes.")
    return content


def _too_deep(tree: ast.AST) -> int | None:
    """The line of the first node found more than ``MAX_NESTING_DEPTH``
    levels deep (0 when it has none), or None: walked with an explicit stack."""
    pending = [(tree, 1, 0)]
    while pending:
        node, level, line = pending.pop()
        line = getattr(node, "lineno", line)
        if level > MAX_NESTING_DEPTH:
            return line
        pending.extend((child, level + 1, line) for child in ast.iter_child_nodes(node))
    return None


def decode_source(relative: str, content: bytes) -> str:
    """A submission file's text; one that is not UTF-8 is the candidate's problem, with its line."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise SubmissionProblem(f"{shown(relative)} is not valid UTF-8 (bad byte at line {line}). "
                                "Save the file as UTF-8.", line=line) from None


def parse(relative: str, content: bytes) -> ast.Module:
    text = decode_source(relative, content)
    try:
        tree = ast.parse(text, filename=relative)
    except SyntaxError as exc:
        where = f"line {exc.lineno}" if exc.lineno else "an unknown line"
        raise SubmissionProblem(f"{shown(relative)} has a syntax error at {where}: {exc.msg}. "
                                "Run it with python to see the error.", line=exc.lineno) from None
    except (RecursionError, MemoryError) as exc:       # the parser's own limits on nesting
        raise SubmissionProblem(f"{shown(relative)} is too deeply nested to parse ({type(exc).__name__} in "
                                "Python's parser): split the expression or statement up.") from None
    except ValueError as exc:
        raise SubmissionProblem(f"{shown(relative)} cannot be parsed: {type(exc).__name__}: {exc}.") from None
    line = _too_deep(tree)
    if line is not None:
        where = f" (line {line})" if line else ""
        raise SubmissionProblem(f"{shown(relative)} is too deeply nested to check{where}: split the expression "
                                f"or statement up (the limit is {MAX_NESTING_DEPTH} levels of nested expressions "
                                "and statements, which only generated code reaches).", line=line or None)
    return tree


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
        try:
            os.lstat(solution)
        except (FileNotFoundError, NotADirectoryError):
            raise SubmissionProblem(f"There is no {SOLUTION_FILE} in {shown(str(folder))}. Put your solution in a "
                                    f"file named {SOLUTION_FILE} (see `grader start`).") from None
        except OSError as exc:
            raise SubmissionProblem(f"{shown(str(folder))} cannot be read: {exc.strerror or exc}. Make the folder "
                                    "readable, e.g. chmod u+rx on it.") from None
        paths = {SOLUTION_FILE: solution}
        for file in python_files(folder):
            relative = file.relative_to(folder).as_posix()
            paths.setdefault(relative, file)
    for relative in paths:
        try:
            relative.encode("utf-8")
        except UnicodeEncodeError:
            raise SubmissionProblem(f"{shown(relative)} has a name that is not valid UTF-8; file names must be "
                                    "valid UTF-8: rename it (a module name is letters, digits and _).") from None
    if len(paths) > MAX_SUBMISSION_FILES:
        raise SubmissionProblem(f"The submission has {len(paths)} Python files; the limit is {MAX_SUBMISSION_FILES}.")
    files, total = {}, 0
    for relative, file in paths.items():
        content = read_source(file, relative, folder)
        total += len(content)
        if total > MAX_SUBMISSION_BYTES:
            raise SubmissionProblem(f"The submission's Python files exceed {MAX_SUBMISSION_BYTES >> 10} KiB in all; "
                                    "keep only the code the solution needs.")
        files[relative] = content
    return folder, files


MAX_MARKER_BYTES = 4096


@dataclasses.dataclass(frozen=True)
class Marker:
    """A workspace's ``.grader.toml`` marker as read: the challenge it names,
    or (``challenge`` None) why it names none. ``challenges_dir`` is the
    private challenges folder ``grader start`` recorded, if any: only the
    candidate's own ``test`` and ``submit`` use it, never ``grade``."""
    path: Path
    challenge: str | None
    problem: str = ""
    challenges_dir: str | None = None


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
        with open(marker, "rb", opener=_opener(follow=False)) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return Marker(marker, None, "is not a regular file")
            data = handle.read(MAX_MARKER_BYTES + 1)
    except OSError as exc:
        return Marker(marker, None, f"cannot be read ({exc.strerror or exc})")
    if len(data) > MAX_MARKER_BYTES:
        return Marker(marker, None, f"is larger than {MAX_MARKER_BYTES} bytes")
    try:
        table = toml.loads(data.decode("utf-8"))
        value = table.get("challenge")
    except UnicodeDecodeError:
        return Marker(marker, None, "is not valid UTF-8")
    except toml.TOMLDecodeError as exc:
        return Marker(marker, None, f"is not valid TOML ({exc})")
    if not isinstance(value, str):
        return Marker(marker, None, "has no challenge = \"SLUG\" line" if value is None
                      else f"has challenge = {value!r}, which is not a string")
    recorded = table.get("challenges_dir")
    return Marker(marker, value, challenges_dir=recorded if isinstance(recorded, str) and recorded else None)


def marker_challenge(folder: Path) -> str | None:
    """The challenge named by a workspace's marker file, if there is one."""
    marker = read_marker(folder)
    return marker.challenge if marker is not None else None
