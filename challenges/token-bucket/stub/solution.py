import time


class TokenBucket:
    """A rate limiter: ``capacity`` tokens, refilled at ``rate`` tokens per second."""

    def __init__(self, rate: float, capacity: int, clock=time.monotonic) -> None:
        """Start full. ``clock()`` returns seconds as a float, never decreasing.
        Raise ValueError when rate <= 0 or capacity < 1."""
        raise NotImplementedError

    def allow(self, tokens: int = 1) -> bool:
        """Take ``tokens`` tokens and return True when that many are available at
        the current ``clock()`` reading; otherwise take none and return False.
        Raise ValueError when tokens < 1."""
        raise NotImplementedError
