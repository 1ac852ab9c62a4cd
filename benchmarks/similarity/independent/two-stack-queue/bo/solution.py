class QueueWithStacks:
    def __init__(self):
        self.i, self.o = [], []

    def enqueue(self, x):
        self.i.append(x)

    def _o(self):
        if not self.o:
            while self.i:
                self.o.append(self.i.pop())
        if not self.o:
            raise IndexError("empty queue")
        return self.o

    def dequeue(self):
        return self._o().pop()

    def peek(self):
        return self._o()[-1]

    def __len__(self):
        return len(self.i) + len(self.o)
