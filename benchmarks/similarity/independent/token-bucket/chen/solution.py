import time


class TokenBucket:
    """Stores only the clock reading at which the bucket was (virtually) empty.

    The level at reading t is min(capacity, (t - empty_at) * rate), so taking
    n tokens moves empty_at forward by n / rate.
    """

    def __init__(self, rate, capacity, clock=time.monotonic):
        if not rate > 0:
            raise ValueError("rate must be > 0")
        if capacity < 1:
            raise ValueError("capacity must be >= 1")
        self._rate = rate
        self._cap = capacity
        self._clock = clock
        self._empty_at = clock() - capacity / rate

    def allow(self, tokens=1):
        if tokens < 1:
            raise ValueError("tokens must be >= 1")
        now = self._clock()
        level = min(self._cap, (now - self._empty_at) * self._rate)
        if level < tokens:
            return False
        self._empty_at = now - (level - tokens) / self._rate
        return True
