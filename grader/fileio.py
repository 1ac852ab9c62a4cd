"""Writing files so that a reader never sees half of one, and naming them."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator


def _umask() -> int:
    """The process's umask, read without changing it where Linux says it."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary handle on a temporary file beside ``path``; on a clean exit it
    is fsynced and renamed over ``path``, on an exception removed. The file
    gets the mode any new file would (0666 less the umask): mkstemp's
    private 0600 is for the temporary only."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) so that ``path`` holds the old content or all the new."""
    with atomic_output(path) as handle:
        handle.write(text.encode("utf-8"))


def printable(text: str) -> str:
    """``text`` with lone surrogates (which UTF-8 output, SQLite and XML
    refuse) written as ``\\udXXX`` escapes; everything else unchanged."""
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def cut_printable(text: str, limit: int, note: str = "more characters") -> str:
    """At most ``limit`` characters, then how many more (``... [N note]``),
    with lone surrogates escaped: every output can hold the result."""
    if len(text) > limit:
        text = text[:limit] + f"... [{len(text) - limit:,} {note}]"
    return printable(text)


def output_cut_note(count: int, unit: str) -> str:
    """Where a program's output was cut, on a line of its own in the middle."""
    return f"\n…[output cut here: {count:,} {unit} not kept]…\n"


def cut_middle(text: str, limit: int) -> str:
    """At most ``limit`` characters of a program's output: its start and its
    end, with the note where the middle was cut; surrogates escaped."""
    if len(text) > limit:
        half = limit // 2
        text = text[:half] + output_cut_note(len(text) - 2 * half, "characters") + text[len(text) - half:]
    return printable(text)


def printable_path(path) -> str:
    """A path as text that every output can hold: bytes of a name that is
    not UTF-8 (kept by Python as surrogates, which SQLite, CSV and XML
    refuse) are shown as backslash escapes, e.g. ``mal\\xfflory``."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


# A spreadsheet reads a cell that starts with one of these as a formula
# (=HYPERLINK(...), +cmd|...): a candidate's folder name is not one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A CSV cell holding a name someone else chose (a folder, a candidate),
    kept as text by a spreadsheet: a leading formula character gets a '."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
