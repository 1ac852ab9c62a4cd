"""Binary min heap stored 1-based: slot 0 is unused, so parent(i) = i // 2."""

from typing import Iterable, Optional


class MinHeap:
    """A min heap of ints; duplicates allowed."""

    def __init__(self, items: Iterable[int] = ()) -> None:
        self._slots: list = [None]
        self._slots.extend(items)
        for position in range(self._count() // 2, 0, -1):
            self._percolate_down(position)

    def _count(self) -> int:
        return len(self._slots) - 1

    def _percolate_up(self, position: int) -> None:
        slots = self._slots
        while position > 1 and slots[position // 2] > slots[position]:
            slots[position // 2], slots[position] = slots[position], slots[position // 2]
            position //= 2

    def _percolate_down(self, position: int) -> None:
        """Recursive: the depth is only log2(n)."""
        slots = self._slots
        count = self._count()
        child = 2 * position
        if child > count:
            return
        if child + 1 <= count and slots[child + 1] < slots[child]:
            child += 1
        if slots[child] < slots[position]:
            slots[child], slots[position] = slots[position], slots[child]
            self._percolate_down(child)

    def insert(self, val: int) -> None:
        """Add ``val`` in O(log n)."""
        self._slots.append(val)
        self._percolate_up(self._count())

    def extract_min(self) -> Optional[int]:
        """Remove and return the smallest value, or None when empty."""
        if self._count() == 0:
            return None
        top = self._slots[1]
        last = self._slots.pop()
        if self._count() > 0:
            self._slots[1] = last
            self._percolate_down(1)
        return top

    def peek(self) -> Optional[int]:
        """The smallest value, or None when empty."""
        return self._slots[1] if self._count() else None

    def __len__(self) -> int:
        return self._count()
