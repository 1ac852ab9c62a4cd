"""``grader validate --jobs N``: challenges validated in N processes at once.

pytest and Hypothesis keep global state, so each worker is a fresh process
('spawn') that validates whole challenges, one at a time. A worker ignores
Ctrl-C (the parent decides) and turns SIGTERM into KeyboardInterrupt, so
the sandbox it has open is closed on the way out. The complexity verdicts
hold with every core busy (benchmarks/complexity_confusion.py measures
them with two burners on two cores), so running challenges side by side
changes no verdict, only the wall time.
"""

from __future__ import annotations

import multiprocessing
import signal
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Callable, Iterator

from grader.batch.run import stop_workers
from grader.catalog import Challenge
from grader.errors import InternalError
from grader.validation import Check, validate

_backend = None


def _initialize(sandbox: str) -> None:
    global _backend
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _interrupt)
    from grader.sandbox.select import get_backend
    _backend = get_backend(sandbox)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _validate_one(challenge: Challenge, seed: int, seeds: int) -> list[Check] | str:
    """The checks, or the message of the InternalError that stopped them."""
    try:
        return validate(challenge, _backend, seed=seed, seeds=seeds)
    except InternalError as problem:
        return str(problem)


def validate_all(challenges: list[Challenge], sandbox: str, seed: int, seeds: int, jobs: int,
                 started: Callable[[str], None]) -> Iterator[tuple[Challenge, list[Check] | str]]:
    """(challenge, checks or the error message) in the order given, as soon
    as each one and those before it are done."""
    if jobs <= 1 or len(challenges) <= 1:
        _initialize_here(sandbox)
        for challenge in challenges:
            started(challenge.slug)
            yield challenge, _validate_one(challenge, seed, seeds)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(challenges)), mp_context=context,
                             initializer=_initialize, initargs=(sandbox,)) as pool:
        futures = [pool.submit(_validate_one, challenge, seed, seeds) for challenge in challenges]
        try:
            for index, challenge in enumerate(challenges):
                started(challenge.slug)
                while not futures[index].done():
                    wait([futures[index]], timeout=0.2, return_when=FIRST_COMPLETED)
                yield challenge, futures[index].result()
        except BaseException:
            for future in futures:
                future.cancel()
            stop_workers(pool, sandbox, set())   # the batch's way: SIGTERM, a grace, then kill and clean up
            raise


def _initialize_here(sandbox: str) -> None:
    global _backend
    if _backend is None:
        from grader.sandbox.select import get_backend
        _backend = get_backend(sandbox)
