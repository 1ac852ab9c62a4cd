# Stores the state and turns "open" into "half-open" only inside call: reading state after the
# recovery timeout still says "open".
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
        self.opened_at = 0.0
        self._state = "closed"

    @property
    def state(self):
        return self._state

    def call(self, func, *args, **kwargs):
        if self._state == "open":
            if self.clock() - self.opened_at < self.timeout:
                raise CircuitOpenError("circuit open")
            self._state = "half-open"
        try:
            result = func(*args, **kwargs)
        except Exception:
            self.failures += 1
            if self._state == "half-open" or self.failures >= self.threshold:
                self._state = "open"
                self.opened_at = self.clock()
                self.failures = 0
            raise
        self.failures = 0
        self._state = "closed"
        return result
