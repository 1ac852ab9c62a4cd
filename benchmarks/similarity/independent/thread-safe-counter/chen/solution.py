import threading


class Counter:
    __slots__ = ("_cond", "_total")

    def __init__(self, start=0):
        self._cond = threading.Condition()
        self._total = start

    def _change(self, by):
        with self._cond:
            self._total = self._total + by

    def increment(self, amount=1):
        self._change(amount)

    def decrement(self, amount=1):
        self._change(-amount)

    def add_if_below(self, amount, limit):
        with self._cond:
            below = self._total < limit
            if below:
                self._total = self._total + amount
        return below

    @property
    def value(self):
        with self._cond:
            current = self._total
        return current
