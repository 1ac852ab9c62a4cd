# Logs "add took 1.5000 seconds" instead of the required "add: 1.5000s", and the error as "add raised ...".
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
            logger.error(f"{func.__name__} raised {exc!r}")
            raise
        finally:
            logger.info(f"{func.__name__} took {time.perf_counter() - start:.4f} seconds")
    return wrapper
