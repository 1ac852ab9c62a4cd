# `value` is a plain instance attribute, not a property: anyone may assign it without the lock.
import threading


class Counter:
    def __init__(self, start: int = 0) -> None:
        self.value = start
        self._lock = threading.Lock()

    def increment(self, amount: int = 1) -> None:
        with self._lock:
            self.value += amount

    def decrement(self, amount: int = 1) -> None:
        with self._lock:
            self.value -= amount

    def add_if_below(self, amount: int, limit: int) -> bool:
        with self._lock:
            if self.value < limit:
                self.value += amount
                return True
            return False
