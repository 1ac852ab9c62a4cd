# Swallows the exception: logs it and returns None instead of re-raising.
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
            return None
        finally:
            logger.info(f"{func.__name__}: {time.perf_counter() - start:.4f}s")
    return wrapper
