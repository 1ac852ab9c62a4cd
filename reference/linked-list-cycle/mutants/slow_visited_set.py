# Correct and O(n) time, but O(n) extra space: remembers every visited node in a set.
# expect: slower
class Node:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next


def has_cycle(head):
    seen = set()
    while head is not None:
        if id(head) in seen:
            return True
        seen.add(id(head))
        head = head.next
    return False


def cycle_start(head):
    seen = set()
    while head is not None:
        if id(head) in seen:
            return head
        seen.add(id(head))
        head = head.next
    return None
