"""Benchmark spec for quicksort: O(n log n) expected on every input, so each
input the contract names is an operation of its own: random values, sorted,
reverse-sorted, all-equal and few-distinct (five values). A fixed first or
last pivot is quadratic on the sorted, reverse-sorted and all-equal ones; a
two-way partition on all-equal and few-distinct ones. Each batch sorts
enough lists to hold about the same number of items at every size, and
answers with what quicksort returned and the sorted lists."""

from grader.complexity.spec import Operation

WORKLOAD = '''
import random

def batch(solution, n, make):
    # about 5,000 items per batch at every size
    return solution.quicksort, [make(n, k) for k in range(max(1, 5_000 // n))]

def setup_random(solution, n, seed):
    rng = random.Random(seed)
    return batch(solution, n, lambda n, k: [rng.randrange(-10 ** 9, 10 ** 9) for _ in range(n)])

def setup_sorted(solution, n, seed):
    return batch(solution, n, lambda n, k: list(range(seed + k, seed + k + n)))

def setup_reverse(solution, n, seed):
    return batch(solution, n, lambda n, k: list(range(seed + k + n, seed + k, -1)))

def setup_equal(solution, n, seed):
    return batch(solution, n, lambda n, k: [seed + k] * n)

def setup_few(solution, n, seed):
    rng = random.Random(seed)
    return batch(solution, n, lambda n, k: [rng.randrange(5) for _ in range(n)])

def run(state):
    quicksort, lists = state
    returned = [quicksort(arr) for arr in lists]
    return returned, lists
'''

SIZES = (100, 5_000)

OPERATIONS = [
    Operation(name=f"quicksort ({shape})", expected="O(n log n)", setup=f"setup_{setup}", run="run",
              sizes=SIZES, axis="len(arr)")
    for shape, setup in (("random values", "random"), ("sorted", "sorted"), ("reverse-sorted", "reverse"),
                         ("all-equal", "equal"), ("few distinct values", "few"))
]
