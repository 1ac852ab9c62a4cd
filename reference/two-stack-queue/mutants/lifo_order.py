# Uses a single list as a stack, so items come out last in, first out.
class QueueWithStacks:
    def __init__(self) -> None:
        self._inbox = []
        self._outbox = []

    def enqueue(self, x) -> None:
        self._inbox.append(x)

    def dequeue(self):
        if not self._inbox:
            raise IndexError("dequeue from an empty queue")
        return self._inbox.pop()

    def peek(self):
        if not self._inbox:
            raise IndexError("peek from an empty queue")
        return self._inbox[-1]

    def __len__(self) -> int:
        return len(self._inbox) + len(self._outbox)

    def _refill(self) -> None:
        if not self._outbox:
            while self._inbox:
                self._outbox.append(self._inbox.pop())
