# Formats the elapsed time with two decimals ("{elapsed:.2f}") instead of four.
import functools
import logging
import time

logger = logging.getLogger("timer")


def timer(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            logger.error(f"{func.__name__} failed: {exc}")
            raise
        finally:
            logger.info(f"{func.__name__}: {time.perf_counter() - start:.2f}s")
    return wrapper
