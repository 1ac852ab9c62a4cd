class Node:
    def __init__(self, val, next=None) -> None:
        self.val = val
        self.next = next


def has_cycle(head):
    s = f = head
    while f and f.next:
        s, f = s.next, f.next.next
        if s is f:
            return True
    return False


def cycle_start(head):
    s = f = head
    while f and f.next:
        s, f = s.next, f.next.next
        if s is f:
            s = head
            while s is not f:
                s, f = s.next, f.next
            return s
    return None
