import time
from functools import wraps


def retry(attempts=3, base_delay=0.1, factor=2.0, max_delay=None, exceptions=(Exception,), sleep=time.sleep):
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    if base_delay < 0:
        raise ValueError("base_delay cannot be negative")
    if factor < 1:
        raise ValueError("factor must be 1 or more")
    if max_delay is not None:
        if max_delay < 0:
            raise ValueError("max_delay cannot be negative")

    def decorator(func):
        @wraps(func)
        def wrapper(*args, **kwargs):
            k = 1
            while k <= attempts:
                try:
                    result = func(*args, **kwargs)
                    return result
                except BaseException as error:
                    # only retry the exceptions we were told to retry
                    if not isinstance(error, exceptions):
                        raise
                    if k == attempts:
                        raise
                    delay = base_delay * (factor ** (k - 1))
                    if max_delay is not None and delay > max_delay:
                        delay = max_delay
                    sleep(delay)
                k = k + 1
        return wrapper
    return decorator
