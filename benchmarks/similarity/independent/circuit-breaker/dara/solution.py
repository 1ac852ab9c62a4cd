import time


class CircuitOpenError(Exception):
    pass


class _Closed:
    name = "closed"

    def before(self, breaker):
        pass

    def on_success(self, breaker):
        breaker.failures = 0

    def on_failure(self, breaker):
        breaker.failures += 1
        if breaker.failures >= breaker.failure_threshold:
            breaker.trip()


class _Open:
    name = "open"

    def before(self, breaker):
        raise CircuitOpenError("the circuit breaker is open")


class _HalfOpen:
    name = "half-open"

    def before(self, breaker):
        pass

    def on_success(self, breaker):
        breaker.close()

    def on_failure(self, breaker):
        breaker.trip()


CLOSED, OPEN, HALF_OPEN = _Closed(), _Open(), _HalfOpen()


class CircuitBreaker:
    def __init__(self, failure_threshold, recovery_timeout, clock=time.monotonic):
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be 1 or more")
        if recovery_timeout < 0:
            raise ValueError("recovery_timeout must be 0 or more")
        self.failure_threshold = failure_threshold
        self.recovery_timeout = recovery_timeout
        self.clock = clock
        self.failures = 0
        self.opened_at = None
        self.phase = CLOSED

    def trip(self):
        self.phase = OPEN
        self.opened_at = self.clock()
        self.failures = 0

    def close(self):
        self.phase = CLOSED
        self.failures = 0
        self.opened_at = None

    def current_phase(self):
        if self.phase is OPEN and self.clock() - self.opened_at >= self.recovery_timeout:
            return HALF_OPEN
        return self.phase

    @property
    def state(self):
        return self.current_phase().name

    def call(self, func, *args, **kwargs):
        phase = self.current_phase()
        phase.before(self)
        try:
            result = func(*args, **kwargs)
        except Exception:
            phase.on_failure(self)
            raise
        phase.on_success(self)
        return result
