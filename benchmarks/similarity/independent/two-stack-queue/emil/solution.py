class QueueWithStacks:
    def __init__(self):
        self.stack1 = []   # new items go here
        self.stack2 = []   # old items come out of here
        self.count = 0

    def enqueue(self, x):
        self.stack1.append(x)
        self.count = self.count + 1

    def move_items(self):
        if len(self.stack2) == 0:
            while len(self.stack1) > 0:
                item = self.stack1.pop()
                self.stack2.append(item)

    def dequeue(self):
        if self.count == 0:
            raise IndexError("the queue is empty")
        self.move_items()
        self.count = self.count - 1
        return self.stack2.pop()

    def peek(self):
        if self.count == 0:
            raise IndexError("the queue is empty")
        self.move_items()
        return self.stack2[len(self.stack2) - 1]

    def __len__(self):
        return self.count
