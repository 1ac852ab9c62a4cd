"""Benchmark spec for linked-list-cycle: a list of n nodes of the grader's
own class, its tail linking back to the middle node. Time for both
functions, and the extra memory of cycle_start (peak of traced allocations
while it runs; the list itself is built before tracing starts)."""

from grader.complexity.spec import Operation

WORKLOAD = '''
class ListNode:
    __slots__ = ("val", "next")

    def __init__(self, val, next=None):
        self.val = val
        self.next = next

def build(n, seed):
    nodes = [ListNode(seed + i) for i in range(n)]
    for node, following in zip(nodes, nodes[1:]):
        node.next = following
    nodes[-1].next = nodes[n // 2]
    return nodes[0]

def setup_has_cycle(solution, n, seed):
    return solution.has_cycle, [build(n, seed + k) for k in range(max(1, 100_000 // n))]

def setup_cycle_start(solution, n, seed):
    return solution.cycle_start, [build(n, seed + k) for k in range(max(1, 100_000 // n))]

def setup_space(solution, n, seed):
    return solution.cycle_start, [build(n, seed)]

def run(state):
    function, heads = state
    for head in heads:
        function(head)
'''

OPERATIONS = [
    Operation(name="has_cycle", expected="O(n)", setup="setup_has_cycle", run="run", sizes=(1_000, 100_000)),
    Operation(name="cycle_start", expected="O(n)", setup="setup_cycle_start", run="run", sizes=(1_000, 100_000)),
    Operation(name="extra space of cycle_start", expected="O(1)", setup="setup_space", run="run",
              sizes=(10_000, 160_000), kind="space"),
]
