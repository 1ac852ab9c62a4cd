"""Circuit breaker with an explicit stored state and an injected clock."""

import time
from typing import Callable, Optional

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half-open"


class CircuitOpenError(Exception):
    """Raised instead of calling the service while the breaker is open."""


class CircuitBreaker:
    """Opens after ``failure_threshold`` failures in a row; retries after ``recovery_timeout``."""

    def __init__(self, failure_threshold: int, recovery_timeout: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if failure_threshold < 1:
            raise ValueError(f"failure_threshold must be >= 1, got {failure_threshold}")
        if recovery_timeout < 0:
            raise ValueError(f"recovery_timeout must be >= 0, got {recovery_timeout}")
        self.failure_threshold = failure_threshold
        self.recovery_timeout = recovery_timeout
        self._clock = clock
        self._stored = CLOSED
        self._consecutive_failures = 0
        self._opened_at: Optional[float] = None

    @property
    def state(self) -> str:
        """The state at the current clock reading."""
        if self._stored == OPEN and self._clock() - self._opened_at >= self.recovery_timeout:
            return HALF_OPEN
        return self._stored

    def _trip(self) -> None:
        self._stored = OPEN
        self._opened_at = self._clock()
        self._consecutive_failures = 0

    def _reset(self) -> None:
        self._stored = CLOSED
        self._opened_at = None
        self._consecutive_failures = 0

    def call(self, func, *args, **kwargs):
        """Call ``func`` unless the breaker is open; count its failures."""
        current = self.state
        if current == OPEN:
            raise CircuitOpenError("circuit open: call rejected")
        try:
            outcome = func(*args, **kwargs)
        except Exception:
            if current == HALF_OPEN:
                self._trip()
            else:
                self._consecutive_failures += 1
                if self._consecutive_failures >= self.failure_threshold:
                    self._trip()
            raise
        self._reset()
        return outcome
