class MinHeap:
    def __init__(self, items=()):
        self.tree = []
        for item in items:
            self.tree.append(item)
        start = self.parent(len(self.tree) - 1)
        while start >= 0:
            self.sift_down(start)
            start -= 1

    @staticmethod
    def parent(i):
        return (i - 1) // 2

    @staticmethod
    def children(i):
        return 2 * i + 1, 2 * i + 2

    def smaller_child(self, i):
        left, right = self.children(i)
        size = len(self.tree)
        if left >= size:
            return None
        if right >= size:
            return left
        return min(left, right, key=self.tree.__getitem__)

    def sift_down(self, i):
        while True:
            child = self.smaller_child(i)
            if child is None or self.tree[i] <= self.tree[child]:
                return
            self.swap(i, child)
            i = child

    def sift_up(self, i):
        while i > 0 and self.tree[self.parent(i)] > self.tree[i]:
            self.swap(i, self.parent(i))
            i = self.parent(i)

    def swap(self, i, j):
        self.tree[i], self.tree[j] = self.tree[j], self.tree[i]

    def insert(self, val):
        self.tree.append(val)
        self.sift_up(len(self.tree) - 1)

    def extract_min(self):
        if not self.tree:
            return None
        self.swap(0, len(self.tree) - 1)
        minimum = self.tree.pop()
        if self.tree:
            self.sift_down(0)
        return minimum

    def peek(self):
        if self.tree:
            return self.tree[0]
        return None

    def __len__(self):
        return len(self.tree)
