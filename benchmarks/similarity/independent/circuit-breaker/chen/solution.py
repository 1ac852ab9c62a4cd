import enum
import time


class CircuitOpenError(Exception):
    """The breaker refused the call."""


class State(enum.Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class CircuitBreaker:
    def __init__(self, failure_threshold, recovery_timeout, clock=time.monotonic):
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least one")
        if recovery_timeout < 0:
            raise ValueError("recovery_timeout cannot be negative")
        self._limit = failure_threshold
        self._cooldown = recovery_timeout
        self._now = clock
        self._mode = State.CLOSED
        self._strikes = 0
        self._tripped_at = 0.0

    def _current(self):
        if self._mode is State.OPEN and self._now() - self._tripped_at >= self._cooldown:
            return State.HALF_OPEN
        return self._mode

    @property
    def state(self):
        return self._current().value

    def call(self, func, *args, **kwargs):
        mode = self._current()
        if mode is State.OPEN:
            raise CircuitOpenError(f"open for {self._cooldown}s after {self._limit} failures")
        try:
            answer = func(*args, **kwargs)
        except Exception:
            self._strikes = self._limit if mode is State.HALF_OPEN else self._strikes + 1
            if self._strikes >= self._limit:
                self._mode, self._tripped_at, self._strikes = State.OPEN, self._now(), 0
            raise
        else:
            self._mode, self._strikes = State.CLOSED, 0
            return answer
