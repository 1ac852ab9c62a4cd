# Starts empty instead of full: the first capacity tokens must be waited for.
import time


class TokenBucket:
    def __init__(self, rate: float, capacity: int, clock=time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._rate = rate
        self._capacity = capacity
        self._clock = clock
        self._tokens = 0.0
        self._updated = clock()

    def allow(self, tokens: int = 1) -> bool:
        if tokens < 1:
            raise ValueError("tokens must be at least 1")
        now = self._clock()
        self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        if tokens <= self._tokens:
            self._tokens -= tokens
            return True
        return False
