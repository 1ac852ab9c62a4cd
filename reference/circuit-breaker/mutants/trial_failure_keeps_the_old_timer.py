# A failed trial re-opens the breaker but keeps the old opened_at, so the timeout does not start
# again: the breaker is half-open again at once.
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
        self.is_open = False
        self.opened_at = 0.0

    @property
    def state(self):
        if not self.is_open:
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
                self.is_open = True          # opened_at left as it was
                raise
            self.failures += 1
            if self.failures >= self.threshold:
                self.is_open = True
                self.opened_at = self.clock()
                self.failures = 0
            raise
        self.failures = 0
        self.is_open = False
        return result
