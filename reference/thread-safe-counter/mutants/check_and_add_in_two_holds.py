# add_if_below checks under the lock, releases it, then takes it again to add: another thread can add in between.
import threading


class Counter:
    def __init__(self, start: int = 0) -> None:
        self._value = start
        self._lock = threading.Lock()

    def increment(self, amount: int = 1) -> None:
        with self._lock:
            self._value += amount

    def decrement(self, amount: int = 1) -> None:
        with self._lock:
            self._value -= amount

    def _below(self, limit: int) -> bool:
        with self._lock:
            return self._value < limit

    def add_if_below(self, amount: int, limit: int) -> bool:
        if self._below(limit):
            self.increment(amount)
            return True
        return False

    @property
    def value(self) -> int:
        with self._lock:
            return self._value
