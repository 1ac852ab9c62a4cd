"""LRU cache: a hash map to doubly linked nodes, most recent at the tail."""

from __future__ import annotations


class Entry:
    """One cached key and value, linked to its neighbours in recency order."""

    def __init__(self, key: int, value: int) -> None:
        self.key = key
        self.value = value
        self.before: Entry | None = None
        self.after: Entry | None = None


class LRUCache:
    """Holds at most ``capacity`` keys; the least recently used one goes first."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be positive, got {capacity}")
        self.capacity = capacity
        self.index: dict[int, Entry] = {}
        self.oldest = Entry(0, 0)   # sentinel before the least recent entry
        self.newest = Entry(0, 0)   # sentinel after the most recent entry
        self.oldest.after = self.newest
        self.newest.before = self.oldest

    def _detach(self, entry: Entry) -> None:
        entry.before.after = entry.after
        entry.after.before = entry.before

    def _append(self, entry: Entry) -> None:
        last = self.newest.before
        last.after = entry
        entry.before = last
        entry.after = self.newest
        self.newest.before = entry

    def get(self, key: int) -> int:
        """Return the value for ``key`` and mark it most recent, or -1."""
        entry = self.index.get(key)
        if entry is None:
            return -1
        self._detach(entry)
        self._append(entry)
        return entry.value

    def put(self, key: int, value: int) -> None:
        """Store ``value`` under ``key``, evicting the least recent key when full."""
        entry = self.index.get(key)
        if entry is not None:
            entry.value = value
            self._detach(entry)
            self._append(entry)
            return
        if len(self.index) == self.capacity:
            victim = self.oldest.after
            self._detach(victim)
            del self.index[victim.key]
        entry = Entry(key, value)
        self.index[key] = entry
        self._append(entry)
