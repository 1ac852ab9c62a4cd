from typing import Iterable


class MinHeap:
    """A binary min heap of integers; duplicates are allowed."""

    def __init__(self, items: Iterable[int] = ()) -> None:
        """Build a heap holding every value of items (heapify in O(n))."""
        raise NotImplementedError

    def insert(self, val: int) -> None:
        """Add val to the heap in O(log n)."""
        raise NotImplementedError

    def extract_min(self) -> int | None:
        """Remove and return the smallest value in O(log n); return None when the heap is empty."""
        raise NotImplementedError

    def peek(self) -> int | None:
        """Return the smallest value without removing it, in O(1); return None when the heap is empty."""
        raise NotImplementedError

    def __len__(self) -> int:
        """Return the number of values held, in O(1)."""
        raise NotImplementedError
