import time


class CircuitOpenError(Exception):
    """Raised by CircuitBreaker.call while the breaker is open."""


class CircuitBreaker:
    """Stops calling a failing service for a while, then tries it again."""

    def __init__(self, failure_threshold: int, recovery_timeout: float, clock=time.monotonic) -> None:
        """Start closed. ``clock()`` returns seconds as a float, never decreasing.
        Raise ValueError when failure_threshold < 1 or recovery_timeout < 0."""
        raise NotImplementedError

    def call(self, func, *args, **kwargs):
        """Call ``func(*args, **kwargs)`` and return its result or re-raise its
        exception, counting failures; raise CircuitOpenError without calling
        ``func`` while the breaker is open."""
        raise NotImplementedError

    @property
    def state(self) -> str:
        """"closed", "open" or "half-open", at the current ``clock()`` reading."""
        raise NotImplementedError
