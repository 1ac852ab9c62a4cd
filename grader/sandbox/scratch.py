"""The process sandbox's temporary folders: named after their owner, tracked
while they live, removed on every way out, and found again when a grader
could not remove its own (``grader cleanup``).

A folder is ``grader-sandbox-<pid>-<start>-<random>`` in the temporary
folder (``tempfile.gettempdir()``): ``pid`` is the grader process that made
it and ``start`` that process's start time (field 22 of ``/proc/<pid>/stat``,
clock ticks since boot; 0 where there is no /proc). The owner is in the name
itself, so there is never a moment when the folder exists but its owner is
unknown, and a pid the system has since given to another process does not
look alive: its start time differs.

Every folder this process makes is registered until it is removed;
``remove_all`` (an atexit handler, which ``exit_interrupted`` runs on Ctrl-C
and on SIGTERM, SIGHUP, SIGABRT) closes the sandboxes still registered and
removes their folders, a backstop behind the ``finally:`` blocks that
normally close them.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import re
import shutil
import stat
import tempfile
import threading
from pathlib import Path
from typing import Callable

PREFIX = "grader-sandbox-"
NAME = re.compile(r"^grader-sandbox-(\d+)-(\d+)-[A-Za-z0-9_]+$")
UNKNOWN_START = 0

_live: dict[Path, Callable[[], None] | None] = {}
_lock = threading.Lock()
_exit_hook_installed = False
_own_start: dict[int, int] = {}     # pid -> start time, per process (a fork has another pid)


def process_start_time(pid: int) -> int | None:
    """Field 22 of /proc/<pid>/stat, or None when there is no such process
    (or no /proc). The command name (field 2) may hold spaces and parentheses:
    the fields are counted after its last ')'."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat_file:
            fields = stat_file.read().rsplit(b")", 1)[1].split()
        return int(fields[19])      # fields[0] is field 3
    except (OSError, IndexError, ValueError):
        return None


def _state(pid: int) -> bytes | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat_file:
            return stat_file.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def owner_alive(pid: int, start: int) -> bool:
    """Whether the grader that made a folder is still running: the pid is
    alive, is not a zombie, and (when the folder recorded it) started when
    the owner did."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass                        # alive, another user's
    if _state(pid) in (b"Z", b"X"):
        return False                # it has ended; its parent has not reaped it yet
    if start == UNKNOWN_START:
        return True
    return process_start_time(pid) == start


def _own_owner() -> tuple[int, int]:
    pid = os.getpid()
    if pid not in _own_start:
        _own_start[pid] = process_start_time(pid) or UNKNOWN_START
    return pid, _own_start[pid]


def create(close: Callable[[], None] | None = None) -> Path:
    """A new private folder named after this process, registered until
    ``remove``; at exit ``close`` (if given) runs before it is removed."""
    global _exit_hook_installed
    pid, start = _own_owner()
    root = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{pid}-{start}-"))
    with _lock:
        _live[root] = close
        if not _exit_hook_installed:
            _exit_hook_installed = True
            atexit.register(remove_all)
    return root


def remove(root: Path) -> None:
    """Remove a folder ``create`` made and stop tracking it."""
    remove_tree(root)
    with _lock:
        _live.pop(root, None)


def remove_all() -> None:
    """Close what still holds a registered folder, then remove the folder."""
    with _lock:
        entries = list(_live.items())
    for root, close in entries:
        try:
            if close is not None:
                close()
        except BaseException:  # noqa: BLE001 - best effort at exit; the folder goes anyway
            pass
        try:
            remove(root)
        except BaseException:  # noqa: BLE001 - `grader cleanup` remains
            pass


# --------------------------------------------------------------------------
# Removal that read-only modes cannot stop
# --------------------------------------------------------------------------

def _make_writable(path: str) -> None:
    """u+rwx on a folder, u+rw on a file, never through a symbolic link
    (a sandbox process could swap one in)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        # An owner without read permission cannot open it; only root could be
        # fooled by a swapped link, and root can open anything.
        if os.geteuid() == 0:
            return
        try:
            info = os.lstat(path)
            if not stat.S_ISLNK(info.st_mode):
                os.chmod(path, (info.st_mode | stat.S_IRWXU) & 0o7777)
        except OSError:
            pass
        return
    try:
        mode = os.fstat(fd).st_mode
        os.fchmod(fd, (mode | (stat.S_IRWXU if stat.S_ISDIR(mode) else stat.S_IRUSR | stat.S_IWUSR)) & 0o7777)
    except OSError:
        pass
    finally:
        os.close(fd)


def _loosen_and_retry(top: str):
    """rmtree's onerror: make the entry and its folder (inside ``top`` only)
    writable and retry a removal once; anything else is left to the next pass."""
    def onerror(func, path, exc_info) -> None:
        if isinstance(exc_info[1], FileNotFoundError):
            return
        parent = os.path.dirname(path)
        if parent == top or parent.startswith(top + os.sep):
            _make_writable(parent)
        if func in (os.rmdir, os.unlink, os.remove):
            if func is os.rmdir:
                _make_writable(path)
            try:
                func(path)
            except OSError:
                pass
        else:                       # os.open, os.scandir, os.lstat: an unreadable folder
            _make_writable(path)
    return onerror


def remove_tree(path: Path, passes: int = 3) -> bool:
    """Remove ``path`` and everything in it, whatever the modes inside
    (the sandbox's files may be read-only, or owned by its uid). True when
    it is gone."""
    top = os.path.abspath(path)
    for _ in range(passes):
        if not os.path.lexists(top):
            return True
        if os.path.islink(top) or not os.path.isdir(top):
            try:
                os.unlink(top)
            except OSError:
                pass
            continue
        shutil.rmtree(top, onerror=_loosen_and_retry(top))
    return not os.path.lexists(top)


# --------------------------------------------------------------------------
# Folders a grader left (``grader cleanup``)
# --------------------------------------------------------------------------

@dataclasses.dataclass
class Leftovers:
    removed: list[Path] = dataclasses.field(default_factory=list)
    failed: list[Path] = dataclasses.field(default_factory=list)
    live: list[Path] = dataclasses.field(default_factory=list)      # their grader is still running
    unknown: list[Path] = dataclasses.field(default_factory=list)   # no owner in the name (an older grader)


def remove_stale(folder: Path | None = None, *, dry_run: bool = False) -> Leftovers:
    """Remove the sandbox folders in ``folder`` (default: the temporary
    folder) whose grader has ended. Only folders of this user named by this
    module qualify: never a live grader's, never another program's. With
    ``dry_run`` nothing is removed; ``removed`` lists what would be."""
    folder = Path(folder or tempfile.gettempdir())
    found = Leftovers()
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return found
    for entry in entries:
        if not entry.name.startswith(PREFIX):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_uid != os.geteuid():
                continue
        except OSError:
            continue
        path = Path(entry.path)
        match = NAME.match(entry.name)
        if match is None:
            found.unknown.append(path)
        elif owner_alive(int(match.group(1)), int(match.group(2))):
            found.live.append(path)
        elif dry_run or remove_tree(path):
            found.removed.append(path)
        else:
            found.failed.append(path)
    return found
