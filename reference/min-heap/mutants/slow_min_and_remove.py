# Correct, but extract_min and peek are O(n): an unordered list searched with min() every time.
# expect: slower
class MinHeap:
    def __init__(self, items=()):
        self.values = list(items)

    def insert(self, val):
        self.values.append(val)

    def extract_min(self):
        if not self.values:
            return None
        smallest = min(self.values)
        self.values.remove(smallest)
        return smallest

    def peek(self):
        return min(self.values) if self.values else None

    def __len__(self):
        return len(self.values)
