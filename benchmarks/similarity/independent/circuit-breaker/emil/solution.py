import time


class CircuitOpenError(Exception):
    pass


class CircuitBreaker:
    def __init__(self, failure_threshold, recovery_timeout, clock=time.monotonic):
        if failure_threshold < 1:
            raise ValueError("failure_threshold has to be at least 1")
        if recovery_timeout < 0:
            raise ValueError("recovery_timeout can not be below 0")
        self.failure_threshold = failure_threshold
        self.recovery_timeout = recovery_timeout
        self.clock = clock
        self.failure_count = 0
        self.is_open = False
        self.open_time = 0

    @property
    def state(self):
        if not self.is_open:
            return "closed"
        # open, until the recovery time has passed
        if self.clock() - self.open_time < self.recovery_timeout:
            return "open"
        return "half-open"

    def call(self, func, *args, **kwargs):
        current_state = self.state
        if current_state == "open":
            raise CircuitOpenError("circuit is open, try again later")
        try:
            result = func(*args, **kwargs)
        except Exception as e:
            if current_state == "half-open":
                self.is_open = True
                self.open_time = self.clock()
            else:
                self.failure_count = self.failure_count + 1
                if self.failure_count >= self.failure_threshold:
                    self.is_open = True
                    self.open_time = self.clock()
                    self.failure_count = 0
            raise e
        self.failure_count = 0
        self.is_open = False
        return result
