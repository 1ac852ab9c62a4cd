"""Benchmark spec for flatten: n items and lists, half wide, half deep.

Half of the input is a long top-level list of items and two-item sublists
(punishing work queues that shift, splicing and concatenation), half one
chain nested n/4 deep (punishing level-by-level passes). Each batch
flattens enough inputs to take about the same work at every size.
"""

from grader.complexity.spec import Operation

WORKLOAD = '''
def make_input(n, offset):
    top = []
    for i in range(n // 8):
        top.append(offset + i)
        top.append([i, -i])
    deep = inner = []
    for i in range(n // 4):
        inner.append(offset + i)
        inner.append([])
        inner = inner[1]
    top.append(deep)
    return top

def setup(solution, n, seed):
    return solution.flatten, [make_input(n, seed + k) for k in range(max(1, 100_000 // n))]

def run(state):
    flatten, inputs = state
    return [flatten(nested) for nested in inputs]
'''

OPERATIONS = [
    Operation(name="flatten", expected="O(n)", setup="setup", run="run", sizes=(1_000, 100_000),
              axis="items and lists"),
]
