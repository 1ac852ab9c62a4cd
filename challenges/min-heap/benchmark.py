"""Benchmark spec for min-heap: each operation on a heap of n random values.

insert and extract_min (O(log n)) count as O(1) here: a logarithm is below
what timing can resolve, and what matters is not growing like n. Each batch
holds enough operations (or constructions) to take about the same work at
every size.
"""

from grader.complexity.spec import Operation

BATCH = 10_000

WORKLOAD = f'''
def values(n, seed):
    """n scattered ints, different for every seed (cheap to make)."""
    return [(i * 7_919_993 + seed * 104_729) % 1_000_003 - 500_000 for i in range(n)]

def setup_insert(solution, n, seed):
    return solution.MinHeap(values(n, seed)), values({BATCH}, seed + 1)

def run_insert(state):
    heap, new = state
    insert = heap.insert
    for value in new:
        insert(value)
    return [len(heap), heap.peek()]

def setup_extract(solution, n, seed):
    return solution.MinHeap(values(n + {BATCH}, seed))

def run_extract(heap):
    extract = heap.extract_min
    return [extract() for _ in range({BATCH})]

def setup_peek(solution, n, seed):
    return solution.MinHeap(values(n, seed))

def run_peek(heap):
    peek = heap.peek
    seen = []
    for _ in range({BATCH}):
        seen.append(peek())
        seen.append(len(heap))
    return seen

def setup_build(solution, n, seed):
    return solution.MinHeap, [values(n, seed + k) for k in range(max(1, 100_000 // n))]

def run_build(state):
    make, inputs = state
    answers = []
    for items in inputs:
        heap = make(items)
        answers.append((len(heap), heap.extract_min(), heap.extract_min(), heap.peek()))
    return answers
'''

SIZES = (1_000, 50_000)

OPERATIONS = [
    # Their setups build the heap with MinHeap(items): its time is that check's.
    Operation(name="insert", expected="O(log n)", setup="setup_insert", run="run_insert", sizes=SIZES,
              setup_uses="MinHeap(items)"),
    Operation(name="extract_min", expected="O(log n)", setup="setup_extract", run="run_extract", sizes=SIZES,
              setup_uses="MinHeap(items)"),
    Operation(name="peek and len", expected="O(1)", setup="setup_peek", run="run_peek", sizes=SIZES,
              setup_uses="MinHeap(items)"),
    Operation(name="MinHeap(items)", expected="O(n)", setup="setup_build", run="run_build", sizes=SIZES),
]
