# Creates a new Lock inside each method, so no two threads ever share one and nothing is mutually exclusive.
import threading


class Counter:
    def __init__(self, start: int = 0) -> None:
        self._value = start

    def increment(self, amount: int = 1) -> None:
        with threading.Lock():
            self._value += amount

    def decrement(self, amount: int = 1) -> None:
        with threading.Lock():
            self._value -= amount

    def add_if_below(self, amount: int, limit: int) -> bool:
        with threading.Lock():
            if self._value < limit:
                self._value += amount
                return True
            return False

    @property
    def value(self) -> int:
        return self._value
