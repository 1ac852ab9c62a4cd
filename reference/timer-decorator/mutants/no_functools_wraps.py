# Does not use functools.wraps: the wrapper's __name__, __qualname__, __doc__ are its own and __wrapped__ is missing.
import logging
import time

logger = logging.getLogger("timer")


def timer(func):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            logger.error(f"{func.__name__} failed: {exc}")
            raise
        finally:
            logger.info(f"{func.__name__}: {time.perf_counter() - start:.4f}s")
    return wrapper
