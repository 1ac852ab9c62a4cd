"""Reference queue from two stacks.

New items are pushed on ``_inbox``. ``_outbox`` holds the oldest items with
the oldest on top; it is refilled, by popping everything off ``_inbox``, only
when it is empty. Each item is moved at most once, so every operation is
amortised O(1).
"""


class QueueWithStacks:
    def __init__(self) -> None:
        self._inbox = []
        self._outbox = []

    def enqueue(self, x) -> None:
        self._inbox.append(x)

    def dequeue(self):
        self._refill()
        if not self._outbox:
            raise IndexError("dequeue from an empty queue")
        return self._outbox.pop()

    def peek(self):
        self._refill()
        if not self._outbox:
            raise IndexError("peek from an empty queue")
        return self._outbox[-1]

    def __len__(self) -> int:
        return len(self._inbox) + len(self._outbox)

    def _refill(self) -> None:
        if not self._outbox:
            while self._inbox:
                self._outbox.append(self._inbox.pop())
