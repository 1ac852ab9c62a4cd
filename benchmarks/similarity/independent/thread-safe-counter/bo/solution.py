from threading import Lock


class Counter:
    def __init__(self, start=0):
        self._n, self._l = start, Lock()

    def increment(self, amount=1):
        self._l.acquire()
        try:
            self._n += amount
        finally:
            self._l.release()

    def decrement(self, amount=1):
        self._l.acquire()
        try:
            self._n -= amount
        finally:
            self._l.release()

    def add_if_below(self, amount, limit):
        self._l.acquire()
        try:
            ok = self._n < limit
            if ok:
                self._n += amount
            return ok
        finally:
            self._l.release()

    @property
    def value(self):
        self._l.acquire()
        try:
            return self._n
        finally:
            self._l.release()
