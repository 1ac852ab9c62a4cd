"""Peak memory of a sandbox's agent, measured from the host's ``/proc``.

Nothing inside the sandbox is asked: the host resets the process's
high-water mark of resident memory (``clear_refs``), lets the call run and
reads ``VmHWM`` afterwards. Inside bubblewrap and Docker, ``/proc`` is
mounted read-only, so the submission cannot reset the mark itself; where it
could (the process sandbox without bubblewrap), a host thread also samples
the resident size every millisecond while the call runs, so memory that is
freed before returning is still seen.
"""

from __future__ import annotations

import threading

SAMPLE_SECONDS = 0.001
# Every sandbox's interpreter starts with a fixed malloc mmap threshold: each
# block of 64 KiB or more (a set's or a list's table) is then always fresh
# pages, never memory freed earlier and still resident, so it shows in the
# resident size (glibc otherwise raises the threshold after a big free, and a
# submission could warm the heap at import to hide a visited set).
MALLOC_ENVIRONMENT = {"MALLOC_MMAP_THRESHOLD_": "65536"}
_PAGE = 4096


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (every thread's list), or [] if it is gone."""
    found: list[int] = []
    try:
        with open(f"/proc/{pid}/task/{pid}/children", "rb") as handle:
            found = [int(part) for part in handle.read().split()]
    except (OSError, ValueError):
        return []
    return found


def start_time(pid: int) -> int:
    """When ``pid`` started, in clock ticks since boot (field 22 of stat)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return int(handle.read().rsplit(b")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return 1 << 62


def oldest_child(pid: int) -> int | None:
    """The child of ``pid`` that started first: an init's first child is the
    agent, whatever processes the submission started (or orphaned) later."""
    found = children(pid)
    if not found:
        return None
    return min(found, key=lambda child: (start_time(child), child))


def _status_bytes(pid: int, field: bytes) -> int:
    with open(f"/proc/{pid}/status", "rb") as handle:
        for line in handle:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    raise OSError(f"no {field.decode()} for process {pid}")


def _resident_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/statm", "rb") as handle:
        return int(handle.read().split()[1]) * _PAGE


class PeakMemory:
    """One process's extra resident memory while a call runs."""

    def __init__(self, pid: int, *, sample: bool):
        self.pid = pid
        self._sample = sample
        self._baseline = 0
        self._sampled = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def usable(self) -> bool:
        """Whether this host can reset and read the process's mark."""
        try:
            self.start()
        except (OSError, ValueError, IndexError):
            return False
        return self.stop() is not None

    def start(self) -> None:
        """Reset the high-water mark to the current size: the baseline."""
        with open(f"/proc/{self.pid}/clear_refs", "wb", buffering=0) as handle:
            handle.write(b"5")
        self._baseline = _status_bytes(self.pid, b"VmRSS:")
        self._sampled = self._baseline
        if self._sample:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="sandbox-memory", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            try:
                self._sampled = max(self._sampled, _resident_bytes(self.pid))
            except (OSError, ValueError, IndexError):
                return

    def stop(self) -> int | None:
        """Peak bytes above the baseline since ``start``; None when the
        process is gone (killed at a time-out, crashed)."""
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None
        try:
            peak = max(_status_bytes(self.pid, b"VmHWM:"), self._sampled)
        except (OSError, ValueError, IndexError):
            return None
        return max(0, peak - self._baseline)
