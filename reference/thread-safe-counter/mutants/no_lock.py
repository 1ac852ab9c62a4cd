# No lock at all: `self._value += amount` is a read, an add and a write, and a thread switch between them loses updates.
class Counter:
    def __init__(self, start: int = 0) -> None:
        self._value = start

    def increment(self, amount: int = 1) -> None:
        self._value += amount

    def decrement(self, amount: int = 1) -> None:
        self._value -= amount

    def add_if_below(self, amount: int, limit: int) -> bool:
        if self._value < limit:
            self._value += amount
            return True
        return False

    @property
    def value(self) -> int:
        return self._value
