# cycle_start finds the right node but then "fixes" the list by setting the tail's next to None, so the list is modified.
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
            while first is not slow:
                first = first.next
                slow = slow.next
            tail = first
            while tail.next is not first:
                tail = tail.next
            tail.next = None
            return first
    return None
