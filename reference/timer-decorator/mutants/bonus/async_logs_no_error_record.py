# The async wrapper logs no ERROR record when the awaited coroutine raises (try/finally, no except); it still re-raises and logs the timing.
# expect: bonus
import functools
import inspect
import logging
import time

logger = logging.getLogger("timer")


def timer(func):
    name = func.__name__

    if inspect.iscoroutinefunction(func):
        @functools.wraps(func)
        async def async_wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return await func(*args, **kwargs)
            finally:
                logger.info("%s: %.4fs", name, time.perf_counter() - start)

        return async_wrapper

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            logger.error("%s failed: %s", name, exc)
            raise  # the very same exception object, with its traceback
        finally:
            # Runs whether func returned or raised: one timing record per call.
            logger.info("%s: %.4fs", name, time.perf_counter() - start)

    return wrapper
