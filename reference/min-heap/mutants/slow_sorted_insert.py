# Correct, but insert is O(n): keeps a sorted list and walks it to find each new value's place.
# expect: slower
class MinHeap:
    def __init__(self, items=()):
        self.values = []          # largest first, so the minimum pops off the end
        for item in items:
            self.insert(item)

    def insert(self, val):
        index = 0
        while index < len(self.values) and self.values[index] > val:
            index += 1
        self.values.insert(index, val)

    def extract_min(self):
        return self.values.pop() if self.values else None

    def peek(self):
        return self.values[-1] if self.values else None

    def __len__(self):
        return len(self.values)
