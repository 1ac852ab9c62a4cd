class Node:
    def __init__(self, val, next=None) -> None:
        self.val = val
        self.next = next


class CycleDetector:
    def __init__(self, head):
        self.head = head
        self.meeting = self.find_meeting()

    def find_meeting(self):
        slow = self.head
        fast = self.head
        while True:
            if fast is None or fast.next is None:
                return None
            slow = slow.next
            fast = fast.next.next
            if slow is fast:
                return slow

    def has_loop(self):
        return self.meeting is not None

    def loop_entry(self):
        if self.meeting is None:
            return None
        from_head = self.head
        from_meeting = self.meeting
        while from_head is not from_meeting:
            from_head = from_head.next
            from_meeting = from_meeting.next
        return from_head


def has_cycle(head):
    return CycleDetector(head).has_loop()


def cycle_start(head):
    return CycleDetector(head).loop_entry()
