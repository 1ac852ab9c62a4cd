"""What runs in each worker process: one submission at a time.

pytest and Hypothesis keep global state, so every harness runs in its own
process, started fresh ('spawn'), never in a thread. A worker ignores
Ctrl-C (the parent decides), turns SIGTERM and SIGHUP (a closed terminal
reaches the whole process group) into KeyboardInterrupt so the sandbox is
closed on the way out (its processes and temporary folder), and stops by
itself when its parent dies, even by SIGKILL, so nothing keeps grading for
nobody. A second signal while the sandbox is being closed (the parent
passes the first one on) does not cut that short; once the sandbox is
closed the worker exits instead of waiting for another task.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
import time
from pathlib import Path

from grader.batch.discover import REFUSED, refused_report
from grader.catalog import Challenge
from grader.grading import GradeOptions, grade
from grader.sandbox import scratch
from grader.signing import sign_if_configured

PARENT_POLL_SECONDS = 0.25
GRACE_SECONDS = 10.0


@dataclasses.dataclass(frozen=True)
class Task:
    index: int
    path: Path
    challenge: Challenge
    sha256: str
    options: GradeOptions
    problem: str = ""       # refused in discovery (a marker that disagrees with the layout): an error result
    shown: tuple = ()       # in a zip: (its temporary folder, what the report's message says instead)


@dataclasses.dataclass(frozen=True)
class Outcome:
    index: int
    report: dict
    started_at: float
    finished_at: float
    pid: int


_state: dict = {"busy": False, "stopping": None}


def initialize(sandbox: str, image: str | None, events) -> None:
    """ProcessPoolExecutor initializer: signals, parent watchdog, backend."""
    _state.update(sandbox=sandbox, image=image, events=events, backend=None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_term)
    signal.signal(signal.SIGHUP, _on_term)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()


def _on_term(signum, frame) -> None:
    if not _state["busy"]:
        _exit()
    first = _state["stopping"]
    if first is None:
        _state["stopping"] = time.monotonic()
        raise KeyboardInterrupt  # unwinds grade(): its finally closes the sandbox
    if time.monotonic() - first > GRACE_SECONDS:
        _exit()                  # the unwinding is stuck: close what is left and go
    # Otherwise the sandbox is being closed: let it finish.


def _exit() -> None:
    """Leave now; first close any sandbox still open and remove its folder
    (os._exit runs no exit handlers)."""
    scratch.remove_all()
    os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)
    # Exit once the interrupted job has closed its sandbox; the executor
    # would otherwise wait for its next task forever.
    deadline = time.monotonic() + GRACE_SECONDS
    while _state["busy"] and time.monotonic() < deadline:
        time.sleep(0.05)
    _exit()


def _backend():
    if _state["backend"] is None:
        from grader.sandbox.select import get_backend
        _state["backend"] = get_backend(_state["sandbox"], image=_state["image"])
    return _state["backend"]


def grade_task(task: Task) -> Outcome:
    """Grade one submission; the report's hash is the content key even when
    the code does not compile (the report alone would leave it empty)."""
    _state["busy"] = True
    try:
        started = time.time()
        if _state.get("events") is not None:
            _state["events"].put((task.index, started, os.getpid()))
        if task.problem:
            report = refused_report(task.path, task.challenge, task.problem, _state["sandbox"], task.options)
        else:
            report = grade(task.path, task.challenge, _backend(), task.options)
        if not report.submission_sha256 and not task.sha256.startswith(("unreadable-", REFUSED)):
            report = dataclasses.replace(report, submission_sha256=task.sha256)
        if task.shown:      # "There is no solution.py in <the temporary folder>/..."
            report = dataclasses.replace(report, message=report.message.replace(*task.shown))
        # Signed (with $GRADER_SIGNING_KEY) as stored; the outputs are signed again as written.
        return Outcome(task.index, sign_if_configured(report.to_dict()), started, time.time(), os.getpid())
    finally:
        _state["busy"] = False
        if _state["stopping"] is not None:
            # Told to stop, and the sandbox is closed: never wait for another task. (A worker
            # that was idle may have died holding the task queue's lock: waiting there hangs.)
            _exit()
