import contextlib
import threading


class Counter:
    def __init__(self, start=0):
        self.mutex = threading.Semaphore(1)
        self.current = start

    @contextlib.contextmanager
    def critical_section(self):
        self.mutex.acquire()
        try:
            yield
        finally:
            self.mutex.release()

    def increment(self, amount=1):
        with self.critical_section():
            self.current = self.current + amount

    def decrement(self, amount=1):
        with self.critical_section():
            self.current = self.current - amount

    def add_if_below(self, amount, limit):
        with self.critical_section():
            if self.current < limit:
                self.current = self.current + amount
                added = True
            else:
                added = False
        return added

    @property
    def value(self):
        with self.critical_section():
            return self.current
