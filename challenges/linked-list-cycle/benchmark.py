"""Benchmark spec for linked-list-cycle: lists of n nodes of the grader's
own class, each tail linking back to the middle node. Time for both
functions, and the extra memory of each while it runs (the host reads the
sandbox's peak resident memory from outside; the list is built before).

Answers are node positions (identity, not a copy with the same value), and
each time batch also reports whether every list is as it was, so a function
that relinks or relabels nodes on the way is a wrong answer at scale too."""

from grader.complexity.spec import Operation

WORKLOAD = '''
import gc


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
    return nodes

def lists(n, seed, count):
    """The lists, built with the cyclic collector paused: every node stays
    alive, so its passes over the growing lists would find nothing to free
    (they were a third of the build's time, and the build most of a check's)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [build(n, seed + k) for k in range(count)]
    finally:
        if enabled:
            gc.enable()

def timed(function, n, seed):
    all_nodes = lists(n, seed, max(1, 100_000 // n))
    return function, all_nodes, [nodes[0].val for nodes in all_nodes]

def setup_has_cycle(solution, n, seed):
    return timed(solution.has_cycle, n, seed)

def setup_cycle_start(solution, n, seed):
    return timed(solution.cycle_start, n, seed)

def setup_space_has_cycle(solution, n, seed):
    return solution.has_cycle, lists(n, seed, 1), None

def setup_space_cycle_start(solution, n, seed):
    return solution.cycle_start, lists(n, seed, 1), None

def position(nodes, found):
    """Where the returned node sits in its list (identity), or what it is."""
    if type(found) is bool or found is None:
        return found
    for index in (len(nodes) // 2, 0, len(nodes) - 1):
        if nodes[index] is found:
            return index
    return "another node" if type(found) is ListNode else "not a node"

def intact(nodes, first_val):
    """Every node still holds its own int and its own link (by identity: a
    stand-in object that claims to equal anything is not the node's)."""
    n = len(nodes)
    for i, node in enumerate(nodes):
        val = node.val
        if type(val) is not int or val != first_val + i or node.next is not nodes[i + 1 if i + 1 < n else n // 2]:
            return False
    return True

def run(state):
    function, all_nodes, first_vals = state
    answers = [position(nodes, function(nodes[0])) for nodes in all_nodes]
    if first_vals is not None:   # not in a space batch: the check would count as memory
        answers.append(all(intact(nodes, first) for nodes, first in zip(all_nodes, first_vals)))
    return answers
'''

OPERATIONS = [
    Operation(name="has_cycle", expected="O(n)", setup="setup_has_cycle", run="run", sizes=(1_000, 100_000)),
    Operation(name="cycle_start", expected="O(n)", setup="setup_cycle_start", run="run", sizes=(1_000, 100_000)),
    Operation(name="extra space of has_cycle", expected="O(1)", setup="setup_space_has_cycle", run="run",
              sizes=(10_000, 160_000), kind="space"),
    Operation(name="extra space of cycle_start", expected="O(1)", setup="setup_space_cycle_start", run="run",
              sizes=(10_000, 160_000), kind="space"),
]
