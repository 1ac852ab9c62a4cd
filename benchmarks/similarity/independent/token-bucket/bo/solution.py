import time


class TokenBucket:
    def __init__(self, rate, capacity, clock=time.monotonic):
        if rate <= 0 or capacity < 1:
            raise ValueError("rate must be > 0 and capacity >= 1")
        self.r, self.c, self.clk = rate, capacity, clock
        self.t, self.lvl = clock(), capacity

    def allow(self, tokens=1):
        if tokens < 1:
            raise ValueError("tokens < 1")
        now = self.clk()
        self.lvl = min(self.c, self.lvl + (now - self.t) * self.r)
        self.t = now
        ok = self.lvl >= tokens
        if ok:
            self.lvl -= tokens
        return ok
