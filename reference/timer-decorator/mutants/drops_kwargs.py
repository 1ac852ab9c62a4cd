# The wrapper only accepts *args, so any keyword argument raises TypeError.
import functools
import logging
import time

logger = logging.getLogger("timer")


def timer(func):
    @functools.wraps(func)
    def wrapper(*args):
        start = time.perf_counter()
        try:
            return func(*args)
        except Exception as exc:
            logger.error(f"{func.__name__} failed: {exc}")
            raise
        finally:
            logger.info(f"{func.__name__}: {time.perf_counter() - start:.4f}s")
    return wrapper
