# Logs with logging.info / logging.error, i.e. on the root logger, not on the logger named "timer".
import functools
import logging
import time


def timer(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            logging.error(f"{func.__name__} failed: {exc}")
            raise
        finally:
            logging.info(f"{func.__name__}: {time.perf_counter() - start:.4f}s")
    return wrapper
