"""Benchmark spec for token-bucket: allow after n earlier calls (n = the
bucket's history), against a bucket that keeps a log of past requests.

The earlier calls and the timed ones are planned in the workload (the same
for both sides): readings are multiples of 1/8 s and the rate is 2 tokens a
second, so every level is a multiple of 1/4 and exact in floating point, and
a request that would equal the level is asked one token higher, so no
decision is a tie. Most requests are granted, so a log of granted requests
grows with n.
"""

from grader.complexity.spec import Operation

BATCH = 20_000

WORKLOAD = f'''
import random

RATE = 2.0
CAPACITY = 8

def plan(rng, count, now, level):
    """Readings and requests, none a tie, with the level they leave."""
    readings, requests = [], []
    for _ in range(count):
        elapsed = rng.randrange(2, 13) / 8
        level = min(CAPACITY, level + elapsed * RATE)
        now += elapsed
        tokens = rng.randrange(1, 4)
        if tokens == level:
            tokens += 1
        if tokens <= level:
            level -= tokens
        readings.append(now)
        requests.append(tokens)
    return readings, requests, now, level

def setup(solution, n, seed):
    rng = random.Random(seed)
    reading = [1000.0]
    clock = lambda: reading[0]
    bucket = solution.TokenBucket(RATE, CAPACITY, clock=clock)
    readings, requests, now, level = plan(rng, n, 1000.0, float(CAPACITY))
    allow = bucket.allow
    for at, tokens in zip(readings, requests):
        reading[0] = at
        allow(tokens)
    readings, requests, _, _ = plan(rng, {BATCH}, now, level)
    return bucket, reading, readings, requests

def run(state):
    bucket, reading, readings, requests = state
    allow = bucket.allow
    answers = []
    for at, tokens in zip(readings, requests):
        reading[0] = at
        answers.append(allow(tokens))
    return answers
'''

OPERATIONS = [
    Operation(name="allow", expected="O(1)", setup="setup", run="run", sizes=(200, 10_000),
              axis="earlier calls"),
]
