"""Run a batch: skip what the database already holds, grade the rest in
worker processes, store each result the moment it arrives.

No printing here: progress goes to ``on_event``, the CLI shows it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

from grader import __version__
from grader.batch import worker
from grader.batch.discover import Found
from grader.batch.store import Store, settings_text
from grader.errors import GraderError
from grader.grading import GradeOptions

POLL_SECONDS = 0.2
STOP_GRACE_SECONDS = 2.0    # after Ctrl-C, how long a worker may take to close its sandbox
MAX_ATTEMPTS = 3     # tries for a submission whose worker process dies under it


@dataclasses.dataclass(frozen=True)
class Event:
    kind: str                   # started | finished | failed
    found: Found
    report: dict | None = None
    message: str = ""
    seconds: float = 0.0


@dataclasses.dataclass
class BatchResult:
    results: list = dataclasses.field(default_factory=list)    # (Found, report dict), in discovery order
    failures: list = dataclasses.field(default_factory=list)   # (Found, message): not graded, not stored
    graded: int = 0
    stored: int = 0


def key_of(found: Found) -> tuple:
    return (found.sha256, found.challenge.slug, found.challenge.version, __version__)


@dataclasses.dataclass
class Plan:
    found: list                 # every submission, in discovery order
    reports: dict               # index -> stored report (already graded with these settings)
    to_grade: dict              # key -> indexes of every path with that content; the first is graded
    settings: str


def plan(found: list[Found], store: Store, options: GradeOptions, *, force: bool) -> Plan:
    """What the database already holds, and what is left to grade."""
    settings = settings_text(options.seed, options.max_examples, options.complexity,
                             options.assessment.sha256 if options.assessment else "")
    store.record_paths([(f.sha256, f.challenge.slug, f.recorded_path, f.label) for f in found])
    reports, to_grade = {}, {}
    for index, item in enumerate(found):
        report = None if force else store.lookup(key_of(item), settings)
        if report is not None:
            reports[index] = report
        else:
            to_grade.setdefault(key_of(item), []).append(index)
    return Plan(found, reports, to_grade, settings)


def run_batch(work: Plan, store: Store, options: GradeOptions, *, sandbox: str, image: str | None,
              jobs: int, on_event: Callable[[Event], None]) -> BatchResult:
    """Grade what ``work`` leaves (``sandbox`` is a resolved backend name),
    one worker process per job. Same content at several paths is graded once."""
    found, reports, failures = work.found, dict(work.reports), {}
    graded = 0
    if work.to_grade:
        graded = _grade_all(found, work.to_grade, store, work.settings, options, sandbox, image, jobs, on_event,
                            reports, failures)
    return BatchResult(
        results=[(found[i], reports[i]) for i in range(len(found)) if i in reports],
        failures=[(found[i], failures[i]) for i in range(len(found)) if i in failures],
        graded=graded, stored=len(work.reports))


def _grade_all(found, to_grade, store, settings, options, sandbox, image, jobs, on_event, reports,
               failures) -> int:
    """Grade in a pool of worker processes. A worker that dies (killed by
    the kernel, a crash in native code) breaks the whole pool: start a new
    one. The submissions that were being graded then are suspects: each is
    tried again alone, in a one-worker pool, where a crash can only be its
    own; one that kills its worker MAX_ATTEMPTS times is reported as not
    graded. Submissions that had not started yet just go back in the queue."""
    queued = list(to_grade.values())
    suspects: list = []
    attempts: dict[int, int] = {}
    graded = 0
    with _sigterm_as_interrupt():
        while queued or suspects:
            alone = bool(suspects)
            batch, suspects = (suspects, []) if alone else (queued, suspects)
            if not alone:
                queued = []
            crashed: list = []
            graded += _one_pool(found, batch, store, settings, options, sandbox, image, 1 if alone else jobs,
                                on_event, reports, failures, crashed)
            for indexes, was_running in crashed:
                if not was_running:
                    (suspects if alone else queued).append(indexes)
                    continue
                if not alone:
                    suspects.append(indexes)
                    continue
                attempts[indexes[0]] = attempts.get(indexes[0], 0) + 1
                if attempts[indexes[0]] < MAX_ATTEMPTS:
                    suspects.append(indexes)
                    continue
                message = (f"the worker process grading it died {MAX_ATTEMPTS} times (killed by the system or "
                           "crashed); nothing was stored, so a re-run tries again")
                for index in indexes:
                    failures[index] = message
                    on_event(Event("failed", found[index], message=message))
    return graded


def _one_pool(found, waiting, store, settings, options, sandbox, image, jobs, on_event, reports, failures,
              crashed) -> int:
    """Run ``waiting`` in one pool until done or broken; the submissions a
    broken pool lost go to ``crashed``, as (indexes, whether it was running)."""
    context = multiprocessing.get_context("spawn")
    events = context.SimpleQueue()     # put() writes at once: a worker killed right after still told us
    graded = 0
    running: set[int] = set()
    workers: set[int] = set()
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(waiting))), mp_context=context,
                             initializer=worker.initialize, initargs=(sandbox, image, events)) as pool:
        futures = {}
        for indexes in waiting:
            first = indexes[0]
            task = worker.Task(first, found[first].path, found[first].challenge, found[first].sha256, options,
                               found[first].problem, found[first].shown)
            futures[pool.submit(worker.grade_task, task)] = indexes
        pending = set(futures)
        try:
            while pending:
                done, pending = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                workers.update(getattr(pool, "_processes", None) or ())
                _drain(events, found, on_event, running)
                for future in done:
                    indexes = futures[future]
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        crashed.append((indexes, indexes[0] in running))
                        continue
                    except Exception as exc:  # noqa: BLE001 - one bad submission must not stop the batch
                        message = str(exc) if isinstance(exc, GraderError) else f"{type(exc).__name__}: {exc}"
                        for index in indexes:
                            failures[index] = message
                            on_event(Event("failed", found[index], message=message))
                        continue
                    item = found[indexes[0]]
                    store.save(key_of(item), settings, outcome.report, path=item.recorded_path,
                               started_at=outcome.started_at, finished_at=outcome.finished_at,
                               worker_pid=outcome.pid)
                    graded += 1
                    for index in indexes:
                        reports[index] = outcome.report
                        on_event(Event("finished", found[index], outcome.report,
                                       seconds=outcome.finished_at - outcome.started_at))
        except BaseException:
            # Ctrl-C, SIGTERM or a database error: stop the workers now; what is stored stays.
            for future in pending:
                future.cancel()
            stop_workers(pool, sandbox, workers)
            raise
    if crashed:
        _remove_leftovers(sandbox, workers)   # a dead worker could not remove its container or folder
    return graded


def _drain(events, found, on_event, running: set) -> None:
    while True:
        try:
            if events.empty():
                return
            index, _started, _pid = events.get()
        except (OSError, EOFError):
            return
        running.add(index)
        on_event(Event("started", found[index]))


def stop_workers(pool: ProcessPoolExecutor, sandbox: str, workers: set[int]) -> None:
    """SIGTERM each worker: it closes its sandbox and exits. One that has not
    within STOP_GRACE_SECONDS is killed, and what killed workers leave (their
    containers, their folders) is removed here: Ctrl-C stops a batch in a
    second or two. (The executor has no public way to stop a running call.)"""
    processes = list(getattr(pool, "_processes", {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(max(0.0, deadline - time.monotonic()))
    stuck = [process for process in processes if process.is_alive()]
    for process in stuck:
        with contextlib.suppress(Exception):
            process.kill()
            process.join(1.0)
    # What a killed worker (this one's, or one that crashed before) could not remove.
    _remove_leftovers(sandbox, workers | {process.pid for process in processes})


def _remove_leftovers(sandbox: str, workers: set[int]) -> None:
    """What killed workers could not remove themselves."""
    if sandbox == "docker":
        from grader.sandbox.docker import remove_containers_of
        remove_containers_of(workers)
    from grader.sandbox.scratch import remove_stale
    remove_stale()              # their folders (sandboxes, the harness's): only those of processes that are gone


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """A CI runner cancelling the job sends SIGTERM: stop as on Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def default_jobs() -> int:
    return os.cpu_count() or 1
