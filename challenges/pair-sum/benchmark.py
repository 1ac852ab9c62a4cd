"""Benchmark spec for pair-sum: find_pairs on n distinct values with few pairs.

Distinct values and a target that few pairs reach is the worst case for a
pairwise scan. Each batch calls find_pairs on enough fresh arrays to take
about the same work at every size (the same for both solutions, so it
cancels out of the candidate/reference ratio).
"""

from grader.complexity.spec import Operation

WORKLOAD = '''
import random

def setup(solution, n, seed):
    rng = random.Random(seed)
    arrays = []
    for _ in range(max(1, 100_000 // n)):
        arr = rng.sample(range(-4 * n, 4 * n), n)
        arrays.append((arr, rng.choice(arr) + rng.choice(arr)))
    return solution.find_pairs, arrays

def run(state):
    find_pairs, arrays = state
    # The pairs' order does not matter (the contract): sorted, they compare.
    return [sorted(find_pairs(arr, target)) for arr, target in arrays]
'''

OPERATIONS = [
    Operation(name="find_pairs", expected="O(n)", setup="setup", run="run", sizes=(500, 50_000),
              axis="len(arr)"),
]
