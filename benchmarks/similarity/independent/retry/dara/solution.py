import functools
import time


class Retrying:
    def __init__(self, attempts, base_delay, factor, max_delay, exceptions, sleep):
        if attempts < 1:
            raise ValueError("Retrying: attempts must be positive")
        if base_delay < 0:
            raise ValueError("Retrying: base_delay must not be negative")
        if factor < 1:
            raise ValueError("Retrying: factor must not be below 1")
        if max_delay is not None and max_delay < 0:
            raise ValueError("Retrying: max_delay must not be negative")
        self.attempts = attempts
        self.base_delay = base_delay
        self.factor = factor
        self.max_delay = max_delay
        self.exceptions = exceptions
        self.sleep = sleep

    def delay_after(self, failure_number):
        delay = self.base_delay * self.factor ** (failure_number - 1)
        if self.max_delay is None:
            return delay
        return min(delay, self.max_delay)

    def __call__(self, func):
        policy = self

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            attempt = 1
            while True:
                try:
                    return func(*args, **kwargs)
                except policy.exceptions:
                    if attempt == policy.attempts:
                        raise
                    policy.sleep(policy.delay_after(attempt))
                    attempt += 1

        return wrapper


def retry(attempts=3, base_delay=0.1, factor=2.0, max_delay=None, exceptions=(Exception,), sleep=time.sleep):
    return Retrying(attempts, base_delay, factor, max_delay, exceptions, sleep)
