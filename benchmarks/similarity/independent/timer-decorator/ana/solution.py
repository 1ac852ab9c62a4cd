"""A timing decorator that logs on the "timer" logger and never swallows errors."""

import asyncio
import functools
import logging
from time import perf_counter

log = logging.getLogger("timer")


def _record(name: str, began: float) -> None:
    log.info(f"{name}: {perf_counter() - began:.4f}s")


def timer(func):
    """Wrap ``func`` so each call is timed; plain and ``async def`` functions alike."""
    label = func.__name__

    if asyncio.iscoroutinefunction(func):
        @functools.wraps(func)
        async def timed_coroutine(*args, **kwargs):
            began = perf_counter()
            try:
                outcome = await func(*args, **kwargs)
            except Exception as error:
                log.error(f"{label} failed: {error}")
                _record(label, began)
                raise
            _record(label, began)
            return outcome

        return timed_coroutine

    @functools.wraps(func)
    def timed(*args, **kwargs):
        began = perf_counter()
        try:
            outcome = func(*args, **kwargs)
        except Exception as error:
            log.error(f"{label} failed: {error}")
            _record(label, began)
            raise
        _record(label, began)
        return outcome

    return timed
