# Sleeps after every failure, the last one too, before re-raising.
import asyncio
import functools
import inspect
import time


def retry(attempts=3, base_delay=0.1, factor=2.0, max_delay=None, exceptions=(Exception,), sleep=time.sleep):
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    if base_delay < 0:
        raise ValueError("base_delay must not be negative")
    if factor < 1:
        raise ValueError("factor must be at least 1")
    if max_delay is not None and max_delay < 0:
        raise ValueError("max_delay must not be negative")

    def delay(k):
        """The wait after the k-th failure (k = 1, 2, ...)."""
        wait = base_delay * factor ** (k - 1)
        return wait if max_delay is None else min(wait, max_delay)

    def decorator(func):
        if inspect.iscoroutinefunction(func):
            @functools.wraps(func)
            async def async_wrapper(*args, **kwargs):
                for k in range(1, attempts + 1):
                    try:
                        return await func(*args, **kwargs)
                    except exceptions:
                        if k == attempts:
                            raise           # the last exception object itself
                        await asyncio.sleep(delay(k))
            return async_wrapper

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for k in range(1, attempts + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    sleep(delay(k))
                    if k == attempts:
                        raise
        return wrapper

    return decorator
