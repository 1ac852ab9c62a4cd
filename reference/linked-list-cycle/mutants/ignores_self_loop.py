# has_cycle treats a node whose next is itself as the end of the list (a "cycle needs two nodes"), so a tail linking to itself is missed.
class Node:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next


def has_cycle(head):
    slow = fast = head
    while fast is not None and fast.next is not None and fast.next is not fast:
        slow = slow.next
        fast = fast.next.next
        if slow is fast:
            return True
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
