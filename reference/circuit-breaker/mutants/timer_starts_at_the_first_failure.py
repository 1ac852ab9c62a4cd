# Starts the open timer at the first failure of the run that opened it, not at the last one.
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
        self.failures = 0
        self.first_failure = None
        self.opened_at = None

    @property
    def state(self):
        if self.opened_at is None:
            return "closed"
        return "open" if self.clock() - self.opened_at < self.timeout else "half-open"

    def call(self, func, *args, **kwargs):
        state = self.state
        if state == "open":
            raise CircuitOpenError("circuit open")
        try:
            result = func(*args, **kwargs)
        except Exception:
            if state == "half-open":
                self.opened_at = self.clock()
                self.failures = 0
                raise
            if self.failures == 0:
                self.first_failure = self.clock()
            self.failures += 1
            if self.failures >= self.threshold:
                self.opened_at = self.first_failure
                self.failures = 0
            raise
        self.failures = 0
        self.opened_at = None
        return result
