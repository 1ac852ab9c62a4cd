class Stack:
    def __init__(self):
        self._items = []

    def push(self, item):
        self._items.append(item)

    def pop(self):
        return self._items.pop()

    def top(self):
        return self._items[-1]

    def is_empty(self):
        return not self._items

    def size(self):
        return len(self._items)


class QueueWithStacks:
    def __init__(self):
        self.incoming = Stack()
        self.outgoing = Stack()

    def enqueue(self, x):
        self.incoming.push(x)

    def shift(self):
        if self.outgoing.is_empty():
            while not self.incoming.is_empty():
                self.outgoing.push(self.incoming.pop())

    def dequeue(self):
        self.shift()
        if self.outgoing.is_empty():
            raise IndexError("cannot dequeue: the queue is empty")
        return self.outgoing.pop()

    def peek(self):
        self.shift()
        if self.outgoing.is_empty():
            raise IndexError("cannot peek: the queue is empty")
        return self.outgoing.top()

    def __len__(self):
        return self.incoming.size() + self.outgoing.size()
