"""Token bucket rate limiter with continuous refill from an injected clock."""

import time
from typing import Callable


class TokenBucket:
    """Starts full; gains ``rate`` tokens a second, up to ``capacity``."""

    def __init__(self, rate: float, capacity: int, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.rate = rate
        self.capacity = capacity
        self._clock = clock
        self._available = float(capacity)
        self._last_reading = clock()

    def _refill(self) -> None:
        reading = self._clock()
        gained = (reading - self._last_reading) * self.rate
        self._available = min(float(self.capacity), self._available + gained)
        self._last_reading = reading

    def allow(self, tokens: int = 1) -> bool:
        """Take ``tokens`` and return True if that many are available now."""
        if tokens < 1:
            raise ValueError(f"tokens must be at least 1, got {tokens}")
        self._refill()
        if self._available < tokens:
            return False
        self._available -= tokens
        return True
