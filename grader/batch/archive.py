"""Candidates' zips (``grader grade``, ``grader verify --regrade``):
unpacked into a private temporary folder, or refused whole.

The zip is the candidate's, so nothing in it is trusted. Every entry is
checked before anything is written, and one bad entry refuses the whole zip
(nothing from it is graded): a name that could leave the folder (absolute,
``..``, a drive letter or backslash), a symbolic link or any entry other
than a file or folder, a duplicate (also after Unicode normalisation and
case folding: one file on macOS or Windows), a name that is not UTF-8,
encryption, too many entries, too many bytes, a compression ratio only a zip
bomb has. While unpacking, each entry is read with a hard cap whatever its
header says, into files created new (never through a link). A zip inside
the zip is plain data; ``__MACOSX/`` (macOS's resource forks) is left out.

The folder is one of grader.sandbox.scratch's (0700, named after this
process): removed when the command ends, by the exit handlers on Ctrl-C and
SIGTERM, by ``grader cleanup`` after a kill. Submissions in a zip are
labelled with the zip's path and the folder inside it
(``submissions/alice.zip!/lru-cache``), never with the temporary folder's.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path
from typing import Callable

from grader.constants import (MARKER_FILE, MAX_ZIP_BYTES, MAX_ZIP_DIRECTORY_BYTES, MAX_ZIP_ENTRIES, MAX_ZIP_ENTRY_BYTES,
                              MAX_ZIP_RATIO, SOLUTION_FILE)
from grader.fileio import printable_path
from grader.sandbox import scratch
from grader.submission import shown

ASSESSMENT_FILE = "grader.toml"     # grader.assessment.ASSESSMENT_FILE (which imports from here)
MARK = "!"                          # label: <zip>!/<folder inside it>
RATIO_FROM = 1 << 20                # smaller entries are never called bombs
MAC_FORKS = "__MACOSX"
_LABEL = re.compile(r"(.*?\.zip)!(?:/(.*))?", re.IGNORECASE | re.DOTALL)
_END, _END64_LOCATOR = b"PK\x05\x06", b"PK\x06\x07"
_END_SIZE, _MAX_COMMENT = 22, 0xFFFF
_ENCRYPTED, _UTF8_NAME = 0x1, 0x800
_CHUNK = 1 << 16


class ZipRefused(Exception):
    """Why a zip was not unpacked: ``str()`` names the zip and the entry."""


class _Refusal(Exception):
    pass


def is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip" and path.is_file()


def split_label(text: str) -> tuple[str, str] | None:
    """(zip, folder inside it) of a label such as ``a.zip!/lru-cache``; None
    for a path that is not inside a zip."""
    match = _LABEL.fullmatch(text)
    return (match.group(1), match.group(2) or "") if match else None


@dataclasses.dataclass(frozen=True)
class Unpacked:
    zip_label: str      # the zip's path as given
    zip_real: Path      # resolved: what the results database records
    root: Path          # where its files are (its single top folder stripped)
    ignored: tuple      # labels of the grader.toml files in it, never applied

    def _inner(self, path: Path) -> str:
        inner = path.relative_to(self.root).as_posix()
        return "" if inner == "." else inner

    def label(self, path: Path) -> str:
        return f"{self.zip_label}{MARK}/{self._inner(path)}"

    def origin(self, path: Path) -> str:
        return f"{printable_path(self.zip_real)}{MARK}/{self._inner(path)}"

    @property
    def shown(self) -> tuple[str, str]:
        """(the temporary folder, what messages say instead)."""
        return str(self.root), self.zip_label + MARK


class Unpacker:
    """Each zip unpacked once, all into one private temporary folder that
    ``close`` (or leaving the ``with``) removes. ``is_challenge`` tells a
    top folder that is a challenge's (kept) from a wrapper (stripped)."""

    def __init__(self, is_challenge: Callable[[str], bool] = lambda name: False):
        self.is_challenge = is_challenge
        self._root: Path | None = None
        self._done: dict[Path, Unpacked | ZipRefused] = {}

    def __enter__(self) -> "Unpacker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._root is not None:
            scratch.remove(self._root)
            self._root = None

    @property
    def ignored(self) -> list[str]:
        return [label for done in self._done.values() if isinstance(done, Unpacked) for label in done.ignored]

    def unpack(self, zip_path: Path) -> Unpacked:
        """The zip's files, unpacked; ZipRefused says why not."""
        real = zip_path.resolve()
        if real not in self._done:
            try:
                self._done[real] = self._unpack(zip_path, real)
            except _Refusal as refusal:
                self._done[real] = ZipRefused(f"{printable_path(zip_path)} was not unpacked: {refusal}")
        done = self._done[real]
        if isinstance(done, ZipRefused):
            raise done
        return done

    def locate(self, path: Path, label: str = "") -> Path:
        """The folder ``path`` stands for: ``a.zip!/x`` (or the zip itself,
        for a report labelled ``a.zip!/x``) unpacked; any other path as it is."""
        inside = split_label(str(path))
        if inside is None and is_zip(path):
            inside = (str(path), (split_label(label) or ("", ""))[1])
        if inside is None:
            return path
        root = self.unpack(Path(inside[0])).root
        target = (root / inside[1]).resolve()
        if target != root.resolve() and root.resolve() not in target.parents:
            raise ZipRefused(f"{path}: {inside[1]} is not inside the zip")
        return root / inside[1]

    def _unpack(self, zip_path: Path, real: Path) -> Unpacked:
        folder = None
        try:
            try:
                with open(zip_path, "rb") as handle:
                    size = os.fstat(handle.fileno()).st_size
                    if size > MAX_ZIP_BYTES:
                        raise _Refusal(f"it is {size:,} bytes; the limit is {MAX_ZIP_BYTES >> 20} MiB")
                    _check_directory(handle, size)
                    with zipfile.ZipFile(handle) as archive:
                        entries = _checked(archive.infolist())
                        folder = self._new_folder(zip_path)
                        _extract(archive, entries, folder)
            except UnicodeDecodeError as exc:      # zipfile decodes names marked UTF-8
                raise _not_utf8(exc.object) from None
            except OSError as exc:
                raise _Refusal(f"it cannot be read or unpacked: {exc.strerror or exc}") from None
            except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
                raise _Refusal(f"it is not a zip that can be read ({exc})") from None
        except BaseException:
            if folder is not None:
                scratch.remove_tree(folder.parent)      # nothing of a refused zip stays
            raise
        root = self._top(folder)
        ignored = tuple(f"{printable_path(zip_path)}{MARK}/{path.relative_to(root).as_posix()}"
                        for path in sorted(root.rglob(ASSESSMENT_FILE)) if path.is_file())
        return Unpacked(printable_path(zip_path), real, root, ignored)

    def _new_folder(self, zip_path: Path) -> Path:
        """``<private folder>/<n>/<the zip's stem>``: the stem is the folder
        name a challenge layout sees, as for an unzipped folder."""
        if self._root is None:
            self._root = scratch.create()
        stem = zip_path.stem if zip_path.stem not in ("", ".", "..") else "submission"
        folder = self._root / str(len(self._done)) / stem
        folder.mkdir(mode=0o700, parents=True)
        return folder

    def _top(self, folder: Path) -> Path:
        """A single top folder that only wraps the files (``kit/`` in a kit
        zip) is stripped; one that is a submission or a challenge's is kept."""
        children = list(folder.iterdir())
        if len(children) != 1 or not children[0].is_dir():
            return folder
        top = children[0]
        if (top / SOLUTION_FILE).exists() or (top / MARKER_FILE).exists() or self.is_challenge(top.name):
            return folder
        return top


def fingerprint(path: Path) -> str:
    """A content key for a refused zip: the sha256 of its size and (at most
    MAX_ZIP_BYTES of) its bytes."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            digest.update(str(os.fstat(handle.fileno()).st_size).encode() + b"\0")
            left = MAX_ZIP_BYTES
            while left > 0 and (chunk := handle.read(min(_CHUNK, left))):
                digest.update(chunk)
                left -= len(chunk)
    except OSError:
        digest.update(os.fsencode(path.resolve()))
    return digest.hexdigest()


def _check_directory(handle, size: int) -> None:
    """zipfile reads the whole table of entries before they can be counted:
    bound it from the end record first. ZIP64 is refused: no submission
    needs it, and its record would override the one checked here."""
    start = max(0, size - _END_SIZE - _MAX_COMMENT)
    handle.seek(start)
    tail = handle.read()
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < _END_SIZE:
        raise _Refusal("it is not a zip file (no end record)")
    if start + at >= 20:
        handle.seek(start + at - 20)
        if handle.read(4) == _END64_LOCATOR:
            raise _Refusal("it is a ZIP64 archive, which no submission needs")
    entries, directory = struct.unpack("<HI", tail[at + 10:at + 16])
    if entries > MAX_ZIP_ENTRIES:
        raise _Refusal(f"it has {entries:,} entries; the limit is {MAX_ZIP_ENTRIES:,}")
    if directory > MAX_ZIP_DIRECTORY_BYTES:
        raise _Refusal(f"its table of entries is {directory:,} bytes; the limit is {MAX_ZIP_DIRECTORY_BYTES >> 20} MiB")


def _not_utf8(raw: bytes) -> _Refusal:
    return _Refusal(f"the name of {_entry(raw.decode('utf-8', 'surrogateescape'))} is not valid UTF-8")


def _entry(name: str) -> str:
    return f"its entry '{shown(name[:200])}'" + ("..." if len(name) > 200 else "")


def _name(info: zipfile.ZipInfo) -> str:
    """The entry's name, checked: UTF-8, relative, only plain components."""
    name = info.orig_filename
    if not info.flag_bits & _UTF8_NAME:     # zipfile read it as cp437: get the bytes back
        try:
            name = name.encode("cp437").decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _not_utf8(exc.object) from None
    entry = _entry(name)
    if "\0" in name:
        raise _Refusal(f"{entry} has a NUL character in its name")
    if "\\" in name:
        raise _Refusal(f"{entry} has a backslash in its name (a Windows path)")
    if name.startswith("/"):
        raise _Refusal(f"{entry} is an absolute path")
    parts = name.removesuffix("/").split("/")
    if re.match(r"[A-Za-z]:", parts[0]):
        raise _Refusal(f"{entry} starts with a drive letter")
    if ".." in parts:
        raise _Refusal(f"{entry} has a '..' component (it would leave the zip's folder)")
    if any(part in ("", ".") for part in parts):
        raise _Refusal(f"{entry} has an empty or '.' component")
    return "/".join(parts)


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _checked(infos: list) -> list[tuple[zipfile.ZipInfo, str, bool]]:
    """(info, name, is a folder) of every entry to unpack, or the first
    reason to refuse the zip."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _Refusal(f"it has {len(infos):,} entries; the limit is {MAX_ZIP_ENTRIES:,}")
    entries, names, total = [], {}, 0
    for info in infos:
        name = _name(info)
        entry = _entry(name)
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind == stat.S_IFLNK:
            raise _Refusal(f"{entry} is a symbolic link")
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise _Refusal(f"{entry} is not a regular file or a folder (a device, pipe or socket)")
        if info.flag_bits & _ENCRYPTED:
            raise _Refusal(f"{entry} is encrypted")
        if _key(name) in names:
            same = names[_key(name)]
            if unicodedata.normalize("NFC", same) == unicodedata.normalize("NFC", name):
                raise _Refusal(f"{entry} appears twice" + ("" if same == name else " (in two Unicode forms)"))
            raise _Refusal(f"{entry} and '{shown(same[:200])}' would be one file on macOS or Windows")
        names[_key(name)] = name
        folder = info.is_dir() or kind == stat.S_IFDIR
        if not folder:
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _Refusal(f"{entry} is compressed with method {info.compress_type}; only stored and "
                               "deflated entries are read")
            if info.file_size > MAX_ZIP_ENTRY_BYTES:
                raise _Refusal(f"{entry} is {info.file_size:,} bytes unpacked; the limit is "
                               f"{MAX_ZIP_ENTRY_BYTES >> 20} MiB an entry")
            total += info.file_size
            if total > MAX_ZIP_BYTES:
                raise _Refusal(f"its entries are over {MAX_ZIP_BYTES >> 20} MiB unpacked in all")
            if info.file_size > RATIO_FROM and info.file_size > MAX_ZIP_RATIO * max(1, info.compress_size):
                raise _Refusal(f"{entry} unpacks {info.file_size // max(1, info.compress_size):,} times larger "
                               f"than it is packed (a zip bomb; the limit is {MAX_ZIP_RATIO}x)")
        if name.split("/")[0] != MAC_FORKS:
            entries.append((info, name, folder))
    packed = sum(info.compress_size for info in infos)
    if total > RATIO_FROM and total > MAX_ZIP_RATIO * max(1, packed):
        # Many entries of up to 1 MiB each, every one under the per-entry check.
        raise _Refusal(f"its entries unpack {total // max(1, packed):,} times larger than they are packed "
                       f"(a zip bomb; the limit is {MAX_ZIP_RATIO}x)")
    folders: dict[str, str] = {}    # every folder an entry is or is in: its key -> as spelled
    for _, name, folder in entries:
        parts = name.split("/")
        for end in range(1, len(parts) + folder):
            spelling = "/".join(parts[:end])
            other = folders.setdefault(_key(spelling), spelling)
            if other != spelling:
                raise _Refusal(f"its folders '{shown(spelling[:200])}' and '{shown(other[:200])}' would be one "
                               "folder on macOS or Windows")
    for _, name, folder in entries:
        if not folder and _key(name) in folders:
            raise _Refusal(f"{_entry(name)} is a file, and other entries are inside it")
    return entries


def _extract(archive: zipfile.ZipFile, entries: list, folder: Path) -> None:
    """Write the checked entries under ``folder``: folders 0700, files 0600
    created new (O_EXCL, never through a link), each read with a hard cap
    (its header's size, within the limits), whatever the data holds."""
    budget = MAX_ZIP_BYTES
    for info, name, is_folder in entries:
        target = folder.joinpath(*name.split("/"))
        if is_folder:
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
            continue
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        cap, written = min(info.file_size, MAX_ZIP_ENTRY_BYTES, budget), 0
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        with os.fdopen(os.open(target, flags, 0o600), "wb") as out, archive.open(info) as source:
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                if written > cap:
                    raise _Refusal(f"{_entry(name)} holds more than the {info.file_size:,} bytes its "
                                   "header says")
                out.write(chunk)
        budget -= written
