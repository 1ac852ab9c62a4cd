# Correct and O(1) space, but O(n^2) time: for each node, walks from the head to see whether its next was seen before.
# expect: slower
class Node:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next


def cycle_start(head):
    node, steps = head, 0
    while node is not None:
        # Does node.next appear among the first steps + 1 nodes? Then it is the cycle's start.
        probe = head
        for _ in range(steps + 1):
            if probe is node.next:
                return probe
            probe = probe.next
        node, steps = node.next, steps + 1
    return None


def has_cycle(head):
    return cycle_start(head) is not None
