# Gives each method its own lock: two increments exclude each other, but an increment and a decrement (or add_if_below) do not.
import threading


class Counter:
    def __init__(self, start: int = 0) -> None:
        self._value = start
        self._increment_lock = threading.Lock()
        self._decrement_lock = threading.Lock()
        self._add_lock = threading.Lock()

    def increment(self, amount: int = 1) -> None:
        with self._increment_lock:
            self._value += amount

    def decrement(self, amount: int = 1) -> None:
        with self._decrement_lock:
            self._value -= amount

    def add_if_below(self, amount: int, limit: int) -> bool:
        with self._add_lock:
            if self._value < limit:
                self._value += amount
                return True
            return False

    @property
    def value(self) -> int:
        return self._value
