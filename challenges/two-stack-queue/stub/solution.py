class QueueWithStacks:
    """A first-in, first-out queue built from two Python lists used as stacks."""

    def enqueue(self, x) -> None:
        """Add x (any object) at the back of the queue."""
        raise NotImplementedError

    def dequeue(self):
        """Remove and return the oldest item. Raise IndexError when the queue is empty."""
        raise NotImplementedError

    def peek(self):
        """Return the oldest item without removing it. Raise IndexError when the queue is empty."""
        raise NotImplementedError

    def __len__(self) -> int:
        """Return the number of items in the queue."""
        raise NotImplementedError
