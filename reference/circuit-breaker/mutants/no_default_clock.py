# Defaults clock to None and never falls back to time.monotonic: a breaker made without a clock
# raises TypeError on its first call or state read.
import time


class CircuitOpenError(Exception):
    """Raised by CircuitBreaker.call while the breaker is open."""


class CircuitBreaker:
    def __init__(self, failure_threshold: int, recovery_timeout: float, clock=None) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if recovery_timeout < 0:
            raise ValueError("recovery_timeout must not be negative")
        self._threshold = failure_threshold
        self._timeout = recovery_timeout
        self._clock = clock
        self._failures = 0
        self._opened_at = None      # None while closed

    @property
    def state(self) -> str:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at < self._timeout:
            return "open"
        return "half-open"

    def call(self, func, *args, **kwargs):
        state = self.state
        if state == "open":
            raise CircuitOpenError("the circuit is open; not calling the service")
        try:
            result = func(*args, **kwargs)
        except Exception:
            self._failures += 1
            if state == "half-open" or self._failures >= self._threshold:
                self._opened_at = self._clock()
                self._failures = 0
            raise
        self._failures = 0
        self._opened_at = None
        return result
