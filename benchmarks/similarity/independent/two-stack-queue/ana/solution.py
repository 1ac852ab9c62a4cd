"""FIFO queue from two list stacks: pushes go to ``back``, pops come from ``front``."""

from typing import Any


class QueueWithStacks:
    """Each item moves from ``back`` to ``front`` at most once: amortised O(1)."""

    def __init__(self) -> None:
        self._back: list[Any] = []
        self._front: list[Any] = []

    def _transfer(self) -> None:
        """Refill ``front`` from ``back`` when it has run dry."""
        if self._front:
            return
        while self._back:
            self._front.append(self._back.pop())

    def enqueue(self, x: Any) -> None:
        """Add ``x`` at the back of the queue."""
        self._back.append(x)

    def dequeue(self) -> Any:
        """Remove and return the oldest item."""
        self._transfer()
        if not self._front:
            raise IndexError("dequeue on an empty QueueWithStacks")
        return self._front.pop()

    def peek(self) -> Any:
        """Return the oldest item without removing it."""
        self._transfer()
        if not self._front:
            raise IndexError("peek on an empty QueueWithStacks")
        return self._front[-1]

    def __len__(self) -> int:
        return len(self._front) + len(self._back)
