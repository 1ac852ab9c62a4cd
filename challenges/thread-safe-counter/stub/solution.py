class Counter:
    """An integer counter that many threads may update at once."""

    def __init__(self, start: int = 0) -> None:
        """Start at ``start``."""
        raise NotImplementedError

    def increment(self, amount: int = 1) -> None:
        """Add ``amount``."""
        raise NotImplementedError

    def decrement(self, amount: int = 1) -> None:
        """Subtract ``amount``."""
        raise NotImplementedError

    def add_if_below(self, amount: int, limit: int) -> bool:
        """As one indivisible step: when the value is below ``limit``, add
        ``amount`` and return True; otherwise change nothing and return False."""
        raise NotImplementedError

    @property
    def value(self) -> int:
        """The current count."""
        raise NotImplementedError
