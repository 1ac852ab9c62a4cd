import logging
import time
from functools import wraps
from inspect import iscoroutinefunction


def timer(func):
    logger = logging.getLogger("timer")

    if iscoroutinefunction(func):
        @wraps(func)
        async def async_wrapper(*args, **kwargs):
            start_time = time.perf_counter()
            try:
                result = await func(*args, **kwargs)
            except Exception as e:
                end_time = time.perf_counter()
                logger.error(f"{func.__name__} failed: {e}")
                logger.info(f"{func.__name__}: {end_time - start_time:.4f}s")
                raise e
            end_time = time.perf_counter()
            logger.info(f"{func.__name__}: {end_time - start_time:.4f}s")
            return result
        return async_wrapper

    @wraps(func)
    def wrapper(*args, **kwargs):
        start_time = time.perf_counter()
        try:
            result = func(*args, **kwargs)
        except Exception as e:
            end_time = time.perf_counter()
            # log the error first, then the time it took
            logger.error(f"{func.__name__} failed: {e}")
            logger.info(f"{func.__name__}: {end_time - start_time:.4f}s")
            raise e
        end_time = time.perf_counter()
        logger.info(f"{func.__name__}: {end_time - start_time:.4f}s")
        return result
    return wrapper
