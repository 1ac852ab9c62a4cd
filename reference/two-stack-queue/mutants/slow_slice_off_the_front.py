# Correct, but dequeue is O(n): one list, and each dequeue slices the first item off, copying
# the rest (a C memmove, cheap per item, so it only shows at large n).
# expect: slower
class QueueWithStacks:
    def __init__(self) -> None:
        self._items = []

    def enqueue(self, x) -> None:
        self._items.append(x)

    def dequeue(self):
        if not self._items:
            raise IndexError("dequeue from an empty queue")
        first = self._items[0]
        self._items = self._items[1:]
        return first

    def peek(self):
        if not self._items:
            raise IndexError("peek from an empty queue")
        return self._items[0]

    def __len__(self) -> int:
        return len(self._items)
