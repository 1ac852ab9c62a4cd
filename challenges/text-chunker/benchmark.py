"""Benchmark spec for text-chunker: the time grows like the total length of
the chunks returned. Two shapes of window, as separate operations: many
small windows (size 8, overlap 2: ~n/6 chunks, punishing a copy of the rest
of the tokens per chunk) and a few large ones (size n/2 to n/5, overlap half of it: 3 to 9
chunks, punishing chunks grown item by item by concatenation). Either way
the total length of the chunks is a fixed multiple of n = len(tokens) (4n/3;
about 7n/4), so it grows like n.
Each batch chunks enough token lists to take about the same work at every
size."""

from grader.complexity.spec import Operation

WORKLOAD = '''
def tokens(n, seed):
    # small ints (cached by CPython), so a batch of lists costs 8 bytes a token
    return [(i * 7_919 + seed * 104_729) % 251 for i in range(n)]

def summary(chunks):
    # each chunk's length, ends and sum: the same for every right answer, and small;
    # sum() also makes each token cost alike at every size (not just each call)
    return [(len(piece), piece[0], piece[-1], sum(piece)) for piece in chunks]

def setup_small(solution, n, seed):
    return solution.chunk, [tokens(n, seed + k) for k in range(max(1, 125_000 // n))], [(8, 2)]

def setup_large(solution, n, seed):
    windows = [(n // 4, n // 8), (n // 3, n // 6), (n // 5, n // 10), (n // 2, n // 4)]
    return solution.chunk, [tokens(n, seed + k) for k in range(max(1, 160_000 // n))], windows

def run(state):
    chunk, lists, windows = state
    return [summary(chunk(tokens, size, overlap)) for tokens in lists for size, overlap in windows]
'''

OPERATIONS = [
    Operation(name="chunk (size 8, overlap 2)", expected="O(n)", setup="setup_small", run="run",
              sizes=(1_000, 100_000), axis="len(tokens) (chunks total ~4n/3)"),
    Operation(name="chunk (size n/4, overlap n/8, and alike)", expected="O(n)", setup="setup_large", run="run",
              sizes=(1_000, 100_000), axis="len(tokens) (chunks total ~7n/4)"),
]
