import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class TokenBucket:
    rate: float
    capacity: int
    clock: Callable[[], float] = time.monotonic
    level: float = field(init=False)
    stamp: float = field(init=False)

    def __post_init__(self):
        if self.rate <= 0:
            raise ValueError("TokenBucket: rate has to be greater than zero")
        if self.capacity < 1:
            raise ValueError("TokenBucket: capacity has to be one or more")
        self.level = self.capacity
        self.stamp = self.clock()

    def top_up(self, now):
        elapsed = now - self.stamp
        self.stamp = now
        self.level = min(self.capacity, self.level + elapsed * self.rate)

    def allow(self, tokens=1):
        if tokens < 1:
            raise ValueError("TokenBucket: ask for at least one token")
        self.top_up(self.clock())
        if tokens <= self.level:
            self.level -= tokens
            return True
        return False
