class Node:
    def __init__(self, val, next=None) -> None:
        self.val = val
        self.next = next


def _loop_length(head):
    """Brent's algorithm: the cycle's length, or 0 when there is none."""
    if head is None:
        return 0
    power = lam = 1
    tortoise, hare = head, head.next
    while hare is not tortoise:
        if hare is None:
            return 0
        if power == lam:
            tortoise = hare
            power *= 2
            lam = 0
        hare = hare.next
        lam += 1
    return lam


def has_cycle(head):
    return _loop_length(head) > 0


def cycle_start(head):
    lam = _loop_length(head)
    if not lam:
        return None
    lead = trail = head
    for _ in range(lam):
        lead = lead.next
    while lead is not trail:
        lead, trail = lead.next, trail.next
    return trail
