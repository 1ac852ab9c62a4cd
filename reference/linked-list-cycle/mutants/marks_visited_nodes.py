# Marks visited nodes by setting an attribute on them, which the grader's nodes (with __slots__) do not allow, and which would modify the list anyway.
class Node:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next


def has_cycle(head):
    return cycle_start(head) is not None


def cycle_start(head):
    node = head
    while node is not None:
        if getattr(node, "visited", False):
            return node
        node.visited = True
        node = node.next
    return None
