"""Benchmark spec for sliding-window: n values, k = n // 2 (the worst k for
summing every window afresh). Each batch handles enough arrays to take about
the same work at every size."""

from grader.complexity.spec import Operation

WORKLOAD = '''
import random

def setup(solution, n, seed):
    rng = random.Random(seed)
    arrays = [[rng.randrange(-1000, 1000) for _ in range(n)] for _ in range(max(1, 100_000 // n))]
    return solution.max_sum_k_consecutive, arrays, n // 2

def run(state):
    function, arrays, k = state
    return [function(arr, k) for arr in arrays]
'''

OPERATIONS = [
    Operation(name="max_sum_k_consecutive", expected="O(n)", setup="setup", run="run", sizes=(500, 50_000),
              axis="len(arr), k = n/2"),
]
