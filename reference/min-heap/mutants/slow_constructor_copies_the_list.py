# Correct, but MinHeap(items) is O(n^2): it copies the whole list to add each item, a C memmove per
# item that looks cheap at small n. insert, extract_min and peek are the reference's.
# expect: slower
from typing import Iterable


class MinHeap:
    def __init__(self, items: Iterable[int] = ()) -> None:
        self._values = []
        for item in items:
            self._values = self._values + [item]      # a fresh copy of the whole list per item
            self._sift_up(len(self._values) - 1)

    def insert(self, val: int) -> None:
        self._values.append(val)
        self._sift_up(len(self._values) - 1)

    def extract_min(self) -> int | None:
        values = self._values
        if not values:
            return None
        smallest = values[0]
        last = values.pop()
        if values:
            values[0] = last
            self._sift_down(0)
        return smallest

    def peek(self) -> int | None:
        return self._values[0] if self._values else None

    def __len__(self) -> int:
        return len(self._values)

    def _sift_up(self, index: int) -> None:
        values = self._values
        while index > 0:
            parent = (index - 1) // 2
            if values[index] >= values[parent]:
                break
            values[index], values[parent] = values[parent], values[index]
            index = parent

    def _sift_down(self, index: int) -> None:
        values = self._values
        size = len(values)
        while True:
            smallest = index
            left, right = 2 * index + 1, 2 * index + 2
            if left < size and values[left] < values[smallest]:
                smallest = left
            if right < size and values[right] < values[smallest]:
                smallest = right
            if smallest == index:
                return
            values[index], values[smallest] = values[smallest], values[index]
            index = smallest
