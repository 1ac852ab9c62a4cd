"""Cycle detection with Floyd's tortoise and hare, then the cycle's length.

Knowing the length L, a pointer started L nodes ahead of another meets it
exactly at the first node of the cycle. O(n) time, O(1) space, read only.
"""

from __future__ import annotations

from typing import Optional


class Node:
    def __init__(self, val, next=None) -> None:
        self.val = val
        self.next = next


def _collision(head: Optional[Node]) -> Optional[Node]:
    tortoise = hare = head
    while hare is not None and hare.next is not None:
        tortoise = tortoise.next
        hare = hare.next.next
        if tortoise is hare:
            return hare
    return None


def has_cycle(head: Optional[Node]) -> bool:
    """True when following ``next`` from ``head`` revisits a node."""
    return _collision(head) is not None


def cycle_start(head: Optional[Node]) -> Optional[Node]:
    """The node the tail links back to, or None without a cycle."""
    inside = _collision(head)
    if inside is None:
        return None
    length = 1
    walker = inside.next
    while walker is not inside:
        walker = walker.next
        length += 1
    ahead = behind = head
    for _ in range(length):
        ahead = ahead.next
    while ahead is not behind:
        ahead = ahead.next
        behind = behind.next
    return behind
