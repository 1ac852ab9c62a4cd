"""A sample submission: an LRU cache on a plain dict, whose insertion order
doubles as the recency order (dicts keep insertion order since Python 3.7)."""


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.entries: dict[int, int] = {}

    def get(self, key: int) -> int:
        if key not in self.entries:
            return -1
        value = self.entries.pop(key)
        self.entries[key] = value      # re-inserted: now the most recent
        return value

    def put(self, key: int, value: int) -> None:
        if key in self.entries:
            del self.entries[key]
        elif len(self.entries) == self.capacity:
            del self.entries[next(iter(self.entries))]   # the least recent
        self.entries[key] = value
