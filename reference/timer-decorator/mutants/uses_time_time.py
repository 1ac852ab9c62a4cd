# Times the call with time.time() instead of time.perf_counter().
import functools
import logging
import time

logger = logging.getLogger("timer")


def timer(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.time()
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            logger.error(f"{func.__name__} failed: {exc}")
            raise
        finally:
            logger.info(f"{func.__name__}: {time.time() - start:.4f}s")
    return wrapper
