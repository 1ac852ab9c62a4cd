# Correct and O(n) time, but O(n) extra space: a visited map kept between calls and stamped
# with the call's number instead of cleared, so only its growth is new memory. A call at a size
# it has already grown to reads almost nothing, another does not.
# expect: slower
class Node:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next


_seen = {}
_calls = [0]


def _first_repeat(head):
    _calls[0] += 1
    stamp = _calls[0]
    node = head
    while node is not None:
        key = id(node)
        if _seen.get(key) == stamp:
            return node
        _seen[key] = stamp
        node = node.next
    return None


def has_cycle(head):
    return _first_repeat(head) is not None


def cycle_start(head):
    return _first_repeat(head)
