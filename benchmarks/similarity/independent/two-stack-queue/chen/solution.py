_NOTHING = object()


class QueueWithStacks:
    """Keeps the oldest item of the push stack at hand, so peek never moves items."""

    def __init__(self):
        self.pushed = []
        self.popping = []
        self.front = _NOTHING   # oldest item of `pushed`

    def enqueue(self, x):
        if not self.pushed:
            self.front = x
        self.pushed.append(x)

    def dequeue(self):
        if not self.popping:
            if not self.pushed:
                raise IndexError("queue is empty")
            while self.pushed:
                self.popping.append(self.pushed.pop())
            self.front = _NOTHING
        return self.popping.pop()

    def peek(self):
        if self.popping:
            return self.popping[-1]
        if self.pushed:
            return self.front
        raise IndexError("queue is empty")

    def __len__(self):
        return len(self.pushed) + len(self.popping)
