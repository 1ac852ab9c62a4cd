class Node:
    def __init__(self, val, next=None) -> None:
        self.val = val
        self.next = next


def has_cycle(head):
    if head is None:
        return False
    slow = head
    fast = head
    while True:
        # the fast pointer moves two steps, the slow one one step
        if fast.next is None or fast.next.next is None:
            return False
        fast = fast.next.next
        slow = slow.next
        if fast is slow:
            return True


def cycle_start(head):
    if head is None:
        return None
    slow = head
    fast = head
    found = False
    while fast.next is not None and fast.next.next is not None:
        fast = fast.next.next
        slow = slow.next
        if fast is slow:
            found = True
            break
    if not found:
        return None
    # start again from the head; they meet where the cycle begins
    pointer = head
    while pointer is not slow:
        pointer = pointer.next
        slow = slow.next
    return pointer
