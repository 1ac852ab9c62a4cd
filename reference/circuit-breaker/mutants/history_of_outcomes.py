# Correct, but O(n) per call: keeps every outcome and counts the failures since the last success
# (or opening) by scanning the whole history on each failure.
# expect: slower
import time


class CircuitOpenError(Exception):
    pass


class CircuitBreaker:
    def __init__(self, failure_threshold, recovery_timeout, clock=time.monotonic):
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if recovery_timeout < 0:
            raise ValueError("recovery_timeout must not be negative")
        self.threshold = failure_threshold
        self.timeout = recovery_timeout
        self.clock = clock
        self.history = []          # "ok", "failed", or "opened"
        self.opened_at = None

    @property
    def state(self):
        if self.opened_at is None:
            return "closed"
        return "open" if self.clock() - self.opened_at < self.timeout else "half-open"

    def failures(self):
        count = 0
        for outcome in self.history:
            count = count + 1 if outcome == "failed" else 0
        return count

    def call(self, func, *args, **kwargs):
        state = self.state
        if state == "open":
            raise CircuitOpenError("circuit open")
        try:
            result = func(*args, **kwargs)
        except Exception:
            self.history.append("failed")
            if state == "half-open" or self.failures() >= self.threshold:
                self.opened_at = self.clock()
                self.history.append("opened")
            raise
        self.history.append("ok")
        self.opened_at = None
        return result
