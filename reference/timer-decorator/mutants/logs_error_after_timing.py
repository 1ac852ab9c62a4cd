# Logs the INFO timing record before the ERROR record when func raises.
import functools
import logging
import time

logger = logging.getLogger("timer")


def timer(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            result = func(*args, **kwargs)
        except Exception as exc:
            logger.info(f"{func.__name__}: {time.perf_counter() - start:.4f}s")
            logger.error(f"{func.__name__} failed: {exc}")
            raise
        logger.info(f"{func.__name__}: {time.perf_counter() - start:.4f}s")
        return result
    return wrapper
