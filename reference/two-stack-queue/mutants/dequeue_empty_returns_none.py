# dequeue on an empty queue returns None instead of raising IndexError.
class QueueWithStacks:
    def __init__(self) -> None:
        self._inbox = []
        self._outbox = []

    def enqueue(self, x) -> None:
        self._inbox.append(x)

    def dequeue(self):
        self._refill()
        if not self._outbox:
            return None
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
