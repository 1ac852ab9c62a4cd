# Ignores `start`: every counter begins at 0.
import threading


class Counter:
    def __init__(self, start: int = 0) -> None:
        self._value = 0
        self._lock = threading.Lock()

    def increment(self, amount: int = 1) -> None:
        with self._lock:
            self._value += amount

    def decrement(self, amount: int = 1) -> None:
        with self._lock:
            self._value -= amount

    def add_if_below(self, amount: int, limit: int) -> bool:
        with self._lock:
            if self._value < limit:
                self._value += amount
                return True
            return False

    @property
    def value(self) -> int:
        with self._lock:
            return self._value
