"""Reference linked-list cycle detection: Floyd's tortoise and hare.

O(n) time, O(1) extra space, and the list is only read, never written.
"""


class Node:
    def __init__(self, val, next=None) -> None:
        self.val = val
        self.next = next


def _meeting_point(head):
    """The node where the tortoise and the hare meet, or None when the hare
    runs off the end of the list (no cycle)."""
    slow = fast = head
    while fast is not None and fast.next is not None:
        slow = slow.next
        fast = fast.next.next
        if slow is fast:
            return slow
    return None


def has_cycle(head):
    return _meeting_point(head) is not None


def cycle_start(head):
    meeting = _meeting_point(head)
    if meeting is None:
        return None
    # The head and the meeting point are the same distance (modulo the
    # cycle's length) from the start of the cycle: walk both one step at a time.
    first = head
    while first is not meeting:
        first = first.next
        meeting = meeting.next
    return first
