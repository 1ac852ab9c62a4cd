"""Benchmark spec for reverse-string: strings of n mixed code points (ASCII,
accented letters, CJK, emoji). Each batch reverses enough strings to take
about the same work at every size."""

from grader.complexity.spec import Operation

WORKLOAD = '''
import random

POOL = "abcxyz019 éßñ日本語😀🎉"

def setup(solution, n, seed):
    rng = random.Random(seed)
    return solution.reverse_string, ["".join(rng.choice(POOL) for _ in range(n))
                                     for _ in range(max(1, 200_000 // n))]

def run(state):
    function, texts = state
    return [function(text) for text in texts]
'''

OPERATIONS = [
    Operation(name="reverse_string", expected="O(n)", setup="setup", run="run", sizes=(1_000, 100_000),
              axis="len(s)"),
]
