# Wraps the exception in a new one (raise RuntimeError(...) from e), so callers cannot catch the original type.
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
        except Exception as e:
            logger.error(f"{func.__name__} failed: {e}")
            raise RuntimeError(f"{func.__name__} failed") from e
        finally:
            logger.info(f"{func.__name__}: {time.perf_counter() - start:.4f}s")
    return wrapper
