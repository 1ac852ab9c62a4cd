# Correct, but O(n) per dequeue and peek: moves every item to the other stack and back each time.
# expect: slower
class QueueWithStacks:
    def __init__(self):
        self.items = []
        self.spare = []

    def enqueue(self, x):
        self.items.append(x)

    def _oldest(self, remove):
        if not self.items:
            raise IndexError("empty queue")
        while self.items:
            self.spare.append(self.items.pop())
        oldest = self.spare.pop() if remove else self.spare[-1]
        while self.spare:
            self.items.append(self.spare.pop())
        return oldest

    def dequeue(self):
        return self._oldest(remove=True)

    def peek(self):
        return self._oldest(remove=False)

    def __len__(self):
        return len(self.items)
