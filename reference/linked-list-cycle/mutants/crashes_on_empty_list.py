# has_cycle starts the hare at head.next, so an empty list (head is None) raises AttributeError.
class Node:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next


def has_cycle(head):
    slow, fast = head, head.next
    while fast is not None and fast.next is not None:
        if slow is fast:
            return True
        slow = slow.next
        fast = fast.next.next
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
