class Node:
    """A node of a singly linked list (for your own use: the grader brings its own nodes)."""

    def __init__(self, val, next=None) -> None:
        self.val = val
        self.next = next


def has_cycle(head: "Node | None") -> bool:
    """Return True when following ``next`` from ``head`` ever revisits a node.

    Do not modify the list. O(n) time, O(1) extra space.
    """
    raise NotImplementedError


def cycle_start(head: "Node | None") -> "Node | None":
    """Return the first node of the cycle (the node the tail links back to), or None.

    Return the node object itself, not its value. Do not modify the list.
    O(n) time, O(1) extra space.
    """
    raise NotImplementedError
