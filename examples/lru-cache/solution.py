"""A sample submission: an LRU cache on a dict of keys to [prev, next, value]
links, a circular doubly linked list threaded through the dict itself, with
one sentinel key. O(1) get and put, no node class."""

_SENTINEL = object()


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        # key -> [previous key, next key, value]; the sentinel sits between
        # the most recent (its previous) and the least recent (its next).
        self.links = {_SENTINEL: [_SENTINEL, _SENTINEL, None]}

    def _unlink(self, key):
        prev, nxt, _ = self.links[key]
        self.links[prev][1] = nxt
        self.links[nxt][0] = prev

    def _append(self, key, value):
        last = self.links[_SENTINEL][0]
        self.links[key] = [last, _SENTINEL, value]
        self.links[last][1] = key
        self.links[_SENTINEL][0] = key

    def get(self, key: int) -> int:
        if key not in self.links or key is _SENTINEL:
            return -1
        value = self.links[key][2]
        self._unlink(key)
        self._append(key, value)
        return value

    def put(self, key: int, value: int) -> None:
        if key in self.links:
            self._unlink(key)
        elif len(self.links) - 1 >= self.capacity:
            oldest = self.links[_SENTINEL][1]
            self._unlink(oldest)
            del self.links[oldest]
        self._append(key, value)
