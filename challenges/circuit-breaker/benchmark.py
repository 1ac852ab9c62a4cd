"""Benchmark spec for circuit-breaker: call and state after n earlier calls
(n = the breaker's history), against a breaker that keeps a log of outcomes.

The earlier calls and the timed ones follow one seeded plan (the same for
both sides): a service that fails about a third of the time, readings that
move on by multiples of 1/8 s (exact in floating point), a threshold of 3
and a recovery timeout of 1 s, so the breaker opens, rejects, goes
half-open and closes again all through. Each timed step records what call
did (a result, the service's error, or CircuitOpenError) and the state.
"""

from grader.complexity.spec import Operation

BATCH = 10_000

WORKLOAD = f'''
import random

class Boom(Exception):
    pass

def working():
    return 1

def failing():
    raise Boom()

def plan(rng, count):
    return [(rng.randrange(0, 5) / 8, rng.randrange(3) == 0) for _ in range(count)]

def step(solution, breaker, reading, elapsed, fails):
    reading[0] += elapsed
    try:
        answer = breaker.call(failing if fails else working)
    except Boom:
        answer = "failed"
    except solution.CircuitOpenError:
        answer = "open"
    return answer

def setup(solution, n, seed):
    rng = random.Random(seed)
    reading = [1000.0]
    breaker = solution.CircuitBreaker(3, 1.0, clock=lambda: reading[0])
    for elapsed, fails in plan(rng, n):
        step(solution, breaker, reading, elapsed, fails)
    return solution, breaker, reading, plan(rng, {BATCH})

def run(state):
    solution, breaker, reading, steps = state
    answers = []
    for elapsed, fails in steps:
        answers.append(step(solution, breaker, reading, elapsed, fails))
        answers.append(breaker.state)
    return answers
'''

OPERATIONS = [
    Operation(name="call and state", expected="O(1)", setup="setup", run="run", sizes=(200, 10_000),
              axis="earlier calls"),
]
