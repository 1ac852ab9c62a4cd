"""Benchmark spec for palindrome: palindromes of n code points with mixed
case, punctuation and spaces (a palindrome is the worst case: every
character must be compared). Each batch checks enough strings to take about
the same work at every size."""

from grader.complexity.spec import Operation

WORKLOAD = '''
import random

LETTERS = "abcXYZ019éÉñ日本"
NOISE = " ,.!-"

def palindrome(rng, n):
    half = [rng.choice(LETTERS) for _ in range(n // 2)]
    text = half + half[::-1]
    for i in range(0, len(text), 7):
        text[i] = text[i].swapcase() if text[i].isalpha() else text[i]
    return "".join(c + (rng.choice(NOISE) if i % 5 == 0 else "") for i, c in enumerate(text))

def setup(solution, n, seed):
    rng = random.Random(seed)
    return solution.is_palindrome, [palindrome(rng, n) for _ in range(max(1, 100_000 // n))]

def run(state):
    function, texts = state
    return [function(text) for text in texts]
'''

OPERATIONS = [
    Operation(name="is_palindrome", expected="O(n)", setup="setup", run="run", sizes=(1_000, 100_000),
              axis="len(s)"),
]
