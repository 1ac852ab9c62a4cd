import threading


class Counter:
    def __init__(self, start=0):
        self.lock = threading.Lock()
        self.number = start

    def increment(self, amount=1):
        # only one thread at a time may change the number
        self.lock.acquire()
        self.number = self.number + amount
        self.lock.release()

    def decrement(self, amount=1):
        self.increment(-amount)

    def add_if_below(self, amount, limit):
        self.lock.acquire()
        result = False
        if self.number < limit:
            self.number = self.number + amount
            result = True
        self.lock.release()
        return result

    @property
    def value(self):
        self.lock.acquire()
        number = self.number
        self.lock.release()
        return number
