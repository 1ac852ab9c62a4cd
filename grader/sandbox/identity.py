"""A private, unprivileged user id per sandbox, when the grader runs as root.

A dedicated uid makes the process limit exact and lets the grader find and
kill every process a submission left behind, even ones that escaped its
process group with ``setsid``. The uid is held by an flock for the
sandbox's lifetime, so parallel graders never share one. The locks live in
one machine-wide folder, whatever $TMPDIR says: the uids are machine-wide,
and a grader that took a uid through another folder would kill the
processes of a live sandbox (``allocate`` clears the uid it takes).
"""

from __future__ import annotations

import fcntl
import os
import signal
import stat
import time
from pathlib import Path

from grader.constants import SANDBOX_UID_RANGE

LOCK_DIR = Path("/run/lock/grader-uids") if Path("/run/lock").is_dir() else Path("/tmp/grader-uids")


def _lock_dir() -> Path:
    """The lock folder, created if needed, and refused unless root owns it
    and nobody else can write it (it sits in a world-writable folder)."""
    try:
        LOCK_DIR.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(LOCK_DIR)
    except OSError as exc:
        raise RuntimeError(f"the sandbox uid lock folder {LOCK_DIR} cannot be used: {exc}") from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o022:
        raise RuntimeError(f"the sandbox uid lock folder {LOCK_DIR} is not a folder that only root can "
                           "write; remove it and run again")
    return LOCK_DIR


class SandboxUser:
    """An allocated uid; ``release`` frees it after killing its processes."""

    def __init__(self, uid: int, lock_fd: int):
        self.uid = uid
        self._lock_fd = lock_fd

    def kill_all(self) -> None:
        """SIGKILL every process owned by the uid, until none is left."""
        for _ in range(100):
            pids = processes_of(self.uid)
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.002)

    def release(self) -> None:
        self.kill_all()
        os.close(self._lock_fd)


def allocate() -> SandboxUser | None:
    """A free uid from the range, or None when not running as root."""
    if os.geteuid() != 0:
        return None
    folder = _lock_dir()
    for uid in SANDBOX_UID_RANGE:
        fd = os.open(folder / str(uid), os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        user = SandboxUser(uid, fd)
        user.kill_all()  # a previous grader may have been killed before cleaning up
        return user
    raise RuntimeError("all sandbox user ids are in use")


def processes_of(uid: int) -> list[int]:
    """Pids whose real uid is ``uid`` (read from /proc)."""
    return [pid for pid, _, owner in _parents_and_uids() if owner == uid]


def _parents_and_uids():
    """(pid, parent pid, real uid) of every process, from one pass over
    /proc/*/status (its Uid line is the real uid whatever the process did to
    its /proc entry's owner)."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", "rb") as status:
                text = status.read(4096)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        parent = text.find(b"\nPPid:")
        uid = text.find(b"\nUid:")
        if parent < 0 or uid < 0:
            continue
        try:
            yield int(entry.name), int(text[parent + 6:text.index(b"\n", parent + 6)]), int(text[uid + 5:].split()[0])
        except (ValueError, IndexError):
            continue


def sandbox_processes(root: int, uid: int | None) -> set[int]:
    """``root``, every process below it in the parent tree and, when ``uid``
    is given, every process whose real uid it is, from one pass over /proc
    (a paused sandbox is found twice per benchmark batch)."""
    children: dict[int, list[int]] = {}
    found = {root}
    for pid, parent, owner in _parents_and_uids():
        children.setdefault(parent, []).append(pid)
        if uid is not None and owner == uid:
            found.add(pid)
    below, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in below:      # a snapshot taken while pids are reused is not always a tree
                below.add(child)
                stack.append(child)
    return found | below


def descendants(root: int) -> list[int]:
    """Every process below ``root`` in the parent tree (read from /proc)."""
    return sorted(sandbox_processes(root, None) - {root})


def count_own_processes() -> int:
    return len(processes_of(os.getuid()))


def leftover_processes() -> dict[int, list[int]]:
    """Processes of sandbox uids that no grader holds: there should be none."""
    leftovers = {}
    if not LOCK_DIR.is_dir():
        return leftovers
    for uid in SANDBOX_UID_RANGE:
        path = LOCK_DIR / str(uid)
        if not path.exists():
            continue
        fd = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # in use by a running sandbox
        finally:
            os.close(fd)
        pids = processes_of(uid)
        if pids:
            leftovers[uid] = pids
    return leftovers
