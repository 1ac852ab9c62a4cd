"""A counter safe to share between threads: every access holds one re-entrant lock."""

import threading


class Counter:
    """An int that many threads may change at once without losing an update."""

    def __init__(self, start: int = 0) -> None:
        self._guard = threading.RLock()
        self._count = start

    def _add(self, delta: int) -> None:
        with self._guard:
            self._count += delta

    def increment(self, amount: int = 1) -> None:
        """Add ``amount``."""
        self._add(amount)

    def decrement(self, amount: int = 1) -> None:
        """Subtract ``amount``."""
        self._add(-amount)

    def add_if_below(self, amount: int, limit: int) -> bool:
        """Check and add in one hold of the lock, so racing callers cannot overshoot."""
        with self._guard:
            if self._count >= limit:
                return False
            self._add(amount)   # the RLock lets the same thread take it again
            return True

    @property
    def value(self) -> int:
        """The current count."""
        with self._guard:
            return self._count
