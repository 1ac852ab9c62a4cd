from typing import Iterable


def _bubble(values, i):
    item = values[i]
    while i > 0:
        up = (i - 1) // 2
        if values[up] <= item:
            break
        values[i] = values[up]
        i = up
    values[i] = item


def _sink(values, i, n):
    item = values[i]
    while True:
        kid = 2 * i + 1
        if kid >= n:
            break
        if kid + 1 < n and values[kid + 1] < values[kid]:
            kid += 1
        if item <= values[kid]:
            break
        values[i] = values[kid]
        i = kid
    values[i] = item


class MinHeap:
    def __init__(self, items: Iterable[int] = ()):
        self._data = [*items]
        n = len(self._data)
        for i in range(n // 2 - 1, -1, -1):
            _sink(self._data, i, n)

    def insert(self, val: int) -> None:
        self._data.append(val)
        _bubble(self._data, len(self._data) - 1)

    def extract_min(self):
        data = self._data
        if len(data) == 0:
            return None
        if len(data) == 1:
            return data.pop()
        root, data[0] = data[0], data.pop()
        _sink(data, 0, len(data))
        return root

    def peek(self):
        return self._data[0] if self._data else None

    def __len__(self):
        return len(self._data)
