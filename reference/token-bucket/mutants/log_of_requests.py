# Correct, but O(n) per call: keeps a log of every granted request and replays it from the
# start to find the level at each allow.
# expect: slower
import time


class TokenBucket:
    def __init__(self, rate, capacity, clock=time.monotonic):
        if rate <= 0:
            raise ValueError("rate must be positive")
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.rate = rate
        self.capacity = capacity
        self.clock = clock
        self.start = clock()
        self.log = []  # (reading, tokens) of every granted request

    def allow(self, tokens=1):
        if tokens < 1:
            raise ValueError("tokens must be at least 1")
        now = self.clock()
        level, last = float(self.capacity), self.start
        for at, taken in self.log:
            level = min(self.capacity, level + (at - last) * self.rate) - taken
            last = at
        level = min(self.capacity, level + (now - last) * self.rate)
        if tokens <= level:
            self.log.append((now, tokens))
            return True
        return False
