class MinHeap:
    def __init__(self, items=()):
        self.heap = list(items)
        self.size = len(self.heap)
        # heapify: fix every node that has children, from the bottom up
        i = self.size // 2 - 1
        while i >= 0:
            self.heapify_down(i)
            i = i - 1

    def left(self, i):
        return 2 * i + 1

    def right(self, i):
        return 2 * i + 2

    def heapify_down(self, i):
        while True:
            l = self.left(i)
            r = self.right(i)
            smallest = i
            if l < self.size and self.heap[l] < self.heap[smallest]:
                smallest = l
            if r < self.size and self.heap[r] < self.heap[smallest]:
                smallest = r
            if smallest == i:
                break
            temp = self.heap[i]
            self.heap[i] = self.heap[smallest]
            self.heap[smallest] = temp
            i = smallest

    def insert(self, val):
        self.heap.append(val)
        self.size = self.size + 1
        i = self.size - 1
        while i > 0:
            p = (i - 1) // 2
            if self.heap[p] <= self.heap[i]:
                break
            temp = self.heap[p]
            self.heap[p] = self.heap[i]
            self.heap[i] = temp
            i = p

    def extract_min(self):
        if self.size == 0:
            return None
        result = self.heap[0]
        last = self.heap.pop()
        self.size = self.size - 1
        if self.size > 0:
            self.heap[0] = last
            self.heapify_down(0)
        return result

    def peek(self):
        if self.size == 0:
            return None
        return self.heap[0]

    def __len__(self):
        return self.size
