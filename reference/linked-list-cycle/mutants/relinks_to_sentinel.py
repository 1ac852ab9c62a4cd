# has_cycle points every visited node's next at a sentinel to mark it and never restores the links, destroying the list.
class Node:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next


_SEEN = Node(None)


def has_cycle(head):
    node = head
    while node is not None:
        if node.next is _SEEN:
            return True
        following = node.next
        node.next = _SEEN
        node = following
    return False


def cycle_start(head):
    slow = fast = head
    while fast is not None and fast.next is not None:
        slow = slow.next
        fast = fast.next.next
        if slow is fast:
            first = head
            while first is not slow:
                first = first.next
                slow = slow.next
            return first
    return None
