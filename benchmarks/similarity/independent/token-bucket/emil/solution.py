import time


class TokenBucket:
    def __init__(self, rate, capacity, clock=time.monotonic):
        if rate <= 0:
            raise ValueError("rate must be more than 0")
        if capacity < 1:
            raise ValueError("capacity must be 1 or more")
        self.rate = rate
        self.capacity = capacity
        self.clock = clock
        self.tokens = capacity
        self.last_time = clock()

    def allow(self, tokens=1):
        if tokens < 1:
            raise ValueError("tokens must be 1 or more")
        current_time = self.clock()
        # add the tokens that came in since the last call
        passed = current_time - self.last_time
        self.tokens = self.tokens + passed * self.rate
        if self.tokens > self.capacity:
            self.tokens = self.capacity
        self.last_time = current_time
        if tokens > self.capacity:
            return False
        if self.tokens >= tokens:
            self.tokens = self.tokens - tokens
            return True
        else:
            return False
