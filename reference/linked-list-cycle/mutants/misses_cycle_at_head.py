# cycle_start compares the next pointers in its second phase, so when the tail links back to the head it returns the head's successor.
class Node:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next


def has_cycle(head):
    slow = fast = head
    while fast is not None and fast.next is not None:
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
            while first.next is not slow.next:
                first = first.next
                slow = slow.next
            return first.next
    return None
