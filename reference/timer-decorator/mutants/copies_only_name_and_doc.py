# Copies __name__ and __doc__ by hand instead of using functools.wraps: __qualname__, __module__ and __wrapped__ are wrong.
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
    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper
