import time


class CircuitOpenError(Exception):
    pass


class CircuitBreaker:
    def __init__(self, failure_threshold, recovery_timeout, clock=time.monotonic):
        if failure_threshold < 1 or recovery_timeout < 0:
            raise ValueError("failure_threshold >= 1 and recovery_timeout >= 0 required")
        self.n, self.t, self.clock = failure_threshold, recovery_timeout, clock
        self.fails, self.since = 0, None

    @property
    def state(self):
        if self.since is None:
            return "closed"
        return "open" if self.clock() - self.since < self.t else "half-open"

    def call(self, func, *args, **kwargs):
        s = self.state
        if s == "open":
            raise CircuitOpenError("open")
        try:
            r = func(*args, **kwargs)
        except Exception:
            self.fails += 1
            if s == "half-open" or self.fails >= self.n:
                self.since, self.fails = self.clock(), 0
            raise
        self.fails, self.since = 0, None
        return r
