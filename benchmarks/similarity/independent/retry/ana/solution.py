"""Retry with exponential backoff; the sleep function is injected for testing."""

import asyncio
import functools
import time


def retry(attempts=3, base_delay=0.1, factor=2.0, max_delay=None, exceptions=(Exception,), sleep=time.sleep):
    """Return a decorator retrying on ``exceptions`` up to ``attempts`` calls."""
    if attempts < 1:
        raise ValueError(f"attempts must be >= 1, got {attempts}")
    if base_delay < 0:
        raise ValueError(f"base_delay must be >= 0, got {base_delay}")
    if factor < 1:
        raise ValueError(f"factor must be >= 1, got {factor}")
    if max_delay is not None and max_delay < 0:
        raise ValueError(f"max_delay must be >= 0, got {max_delay}")

    def backoff(failures: int) -> float:
        wait = base_delay * factor ** (failures - 1)
        if max_delay is not None and wait > max_delay:
            return max_delay
        return wait

    def decorate(func):
        if asyncio.iscoroutinefunction(func):
            @functools.wraps(func)
            async def retrying_coroutine(*args, **kwargs):
                failures = 0
                while True:
                    try:
                        return await func(*args, **kwargs)
                    except exceptions:
                        failures += 1
                        if failures >= attempts:
                            raise
                    await asyncio.sleep(backoff(failures))
            return retrying_coroutine

        @functools.wraps(func)
        def retrying(*args, **kwargs):
            failures = 0
            while True:
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    failures += 1
                    if failures >= attempts:
                        raise
                sleep(backoff(failures))
        return retrying

    return decorate
